"""The inbox filter form, shared by the officer screens and (later) the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tanggap.accounts.models import Category, Unit

from .choices import CaseStatus, Channel, ReportKind

SORTS = {
    "due": ("due_at", False),
    "newest": ("received_at", True),
    "oldest": ("received_at", False),
}


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=Category.objects.none(),
        empty_label=_("All"),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        required=False,
        queryset=Unit.objects.none(),
        empty_label=_("All"),
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("due", _("Due date, soonest first")),
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
        ],
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["status"].choices = everything + list(CaseStatus.choices)
        self.fields["kind"].choices = everything + list(ReportKind.choices)
        self.fields["channel"].choices = everything + list(Channel.choices)
        self.fields["unit"].queryset = units
        self.fields["category"].queryset = Category.objects.filter(
            organisation__units__in=units
        ).distinct()
