"""The inbox filter form and the due-date vocabulary, shared by the officer screens and the API."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.accounts.models import Category, Unit

from .choices import CaseStatus, Channel, FlagKind, ReportKind

# The browser's date picker sends and expects ISO dates, whatever the language.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

SORTS = {
    "due": ("due_at", False),
    "newest": ("received_at", True),
    "oldest": ("received_at", False),
}


class DueState(models.TextChoices):
    """Where a case stands against its deadline, as the inbox badge says it in words."""

    OVERDUE = "overdue", _("overdue")
    SOON = "soon", _("due soon")
    ON_TIME = "on_time", _("on time")
    # The deadline runs against the reporter (their reply or missing information).
    REPORTER = "reporter", _("reporter's turn")


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False)
    due = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[
            ("", _("All")),
            (DueState.OVERDUE, _("Overdue")),
            (DueState.SOON, _("Due soon")),
        ],
    )
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
    mine = forms.BooleanField(label=_("Only cases assigned to me"), required=False)

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


class FlagFilterForm(forms.Form):
    """The auditor's filter of maladministration flags: kind, unit and the period raised."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"), required=False, queryset=Unit.objects.none(), empty_label=_("All")
    )
    raised_from = forms.DateField(label=_("Raised from"), required=False, widget=DATE_INPUT)
    raised_to = forms.DateField(label=_("Raised until"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All"))] + list(FlagKind.choices)
        self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        start, end = data.get("raised_from"), data.get("raised_to")
        if start and end and end < start:
            self.add_error("raised_to", _("The end of the period is before its start."))
        return data


class AuditLogForm(forms.Form):
    """The period and unit of an audit-log export."""

    date_from = forms.DateField(label=_("From"), widget=DATE_INPUT)
    date_to = forms.DateField(label=_("Until"), widget=DATE_INPUT)
    unit = forms.ModelChoiceField(
        label=_("Unit"), required=False, queryset=Unit.objects.none(), empty_label=_("All")
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data
