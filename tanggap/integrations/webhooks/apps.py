from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "tanggap.integrations.webhooks"
    label = "webhooks"
    verbose_name = _("SMS, WhatsApp and outbound webhooks")

    def ready(self):
        from .services.messages import channels_register  # noqa: PLC0415 - models are ready now

        channels_register()
