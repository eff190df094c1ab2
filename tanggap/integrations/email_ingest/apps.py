from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmailIngestConfig(AppConfig):
    name = "tanggap.integrations.email_ingest"
    label = "email_ingest"
    verbose_name = _("Inbound e-mail")

    def ready(self):
        from tanggap.notifications.channels import channel_register  # noqa: PLC0415

        from .outgoing import ThreadedEmailChannel  # noqa: PLC0415 - models are ready now

        # E-mail reports are answered in the citizen's thread; other e-mail goes as before.
        channel_register("email", ThreadedEmailChannel())
