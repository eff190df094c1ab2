from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "tanggap.integrations"
    verbose_name = _("Channels and integrations")
