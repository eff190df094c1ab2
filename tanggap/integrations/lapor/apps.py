from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LaporConfig(AppConfig):
    name = "tanggap.integrations.lapor"
    label = "lapor"
    verbose_name = _("Imports and SP4N-LAPOR!")
