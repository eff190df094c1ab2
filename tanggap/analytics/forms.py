"""The period choice of the dashboards, statistics and evaluation reports."""

from datetime import date

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import periods
from .periods import Period

# How many periods of each kind the choice offers, most recent first.
OFFERED = {periods.MONTH: 24, periods.QUARTER: 8, periods.SEMESTER: 4, periods.YEAR: 4}


def period_label(period: Period) -> str:
    """Return a period's name in the active language."""
    year = period.start.year
    if period.kind == periods.MONTH:
        return formats.date_format(period.start, "F Y")
    number = (period.start.month - 1) // periods.LENGTH[period.kind] + 1
    if period.kind == periods.QUARTER:
        return _("Quarter %(n)d %(year)d") % {"n": number, "year": year}
    if period.kind == periods.SEMESTER:
        return _("Semester %(n)d %(year)d") % {"n": number, "year": year}
    return str(year)


def offered(today: date, kinds=periods.KINDS) -> list[Period]:
    """Return the periods one may choose: the current and earlier ones of each kind."""
    result = []
    for kind in kinds:
        period = periods.containing(kind, today)
        for _n in range(OFFERED[kind]):
            result.append(period)
            period = periods.previous(period)
    return result


class PeriodForm(forms.Form):
    """Choose a period among the recent months, quarters, semesters and years."""

    period = forms.ChoiceField(
        label=gettext_lazy("Period"),
        error_messages={"invalid_choice": gettext_lazy("Choose a period from the list.")},
    )

    def __init__(self, *args, today: date | None = None, kinds=periods.KINDS, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        self.default = periods.containing(periods.MONTH, today)
        groups = {
            periods.MONTH: gettext_lazy("Months"),
            periods.QUARTER: gettext_lazy("Quarters"),
            periods.SEMESTER: gettext_lazy("Semesters"),
            periods.YEAR: gettext_lazy("Years"),
        }
        choices = []
        for kind in kinds:
            items = [(p.key, period_label(p)) for p in offered(today, (kind,))]
            choices.append((groups[kind], items))
        self.fields["period"].choices = choices

    def chosen(self) -> Period:
        """Return the chosen period (the current month when none was chosen)."""
        if self.is_bound and self.is_valid():
            return periods.parse(self.cleaned_data["period"])
        return self.default
