from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmailIngestConfig(AppConfig):
    name = "tanggap.integrations.email_ingest"
    label = "email_ingest"
    verbose_name = _("Inbound e-mail")
