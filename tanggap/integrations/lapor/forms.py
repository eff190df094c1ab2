"""Forms of the import and export screens."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanggap.cases.choices import Channel, ReportKind

from .fields import LAPOR_REQUIRED, REQUIRED_TARGETS, ImportFormat, Target
from .tabular import MAX_BYTES


class UploadForm(forms.Form):
    """The file, its kind and the unit that receives its reports."""

    fmt = forms.ChoiceField(
        label=_("Kind of file"),
        choices=ImportFormat.choices,
        initial=ImportFormat.LAPOR,
        widget=forms.RadioSelect,
    )
    unit = forms.ModelChoiceField(label=_("Unit that receives the reports"), queryset=None)
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("At most %(mb)d MB. The first row must hold the column names.")
        % {"mb": MAX_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.ms-excel"}
        ),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB. Split it into smaller files."),
                code="too_large",
                params={"mb": MAX_BYTES // (1024 * 1024)},
            )
        return upload


class MappingForm(forms.Form):
    """One choice of column per report field, and the values used when a column is empty."""

    default_kind = forms.ChoiceField(label=_("Kind when the file gives none"), choices=ReportKind)
    default_channel = forms.ChoiceField(
        label=_("Channel when the file gives none"), choices=Channel
    )

    def __init__(self, *args, batch, **kwargs):
        super().__init__(*args, **kwargs)
        required = LAPOR_REQUIRED if batch.fmt == ImportFormat.LAPOR else REQUIRED_TARGETS
        choices = [("", _("— not in the file —"))] + [(h, h) for h in batch.headers if h]
        for target in Target:
            self.fields[f"col_{target.value}"] = forms.ChoiceField(
                label=target.label,
                choices=choices,
                required=target in required,
                initial=batch.mapping.get(target.value, ""),
            )
        self.fields["default_kind"].initial = batch.default_kind
        self.fields["default_channel"].initial = batch.default_channel

    def column_fields(self):
        return [self[f"col_{t.value}"] for t in Target]

    def mapping(self) -> dict[str, str]:
        return {t.value: self.cleaned_data.get(f"col_{t.value}", "") for t in Target}


class ExportForm(forms.Form):
    """A unit, a period of received dates and the file type of a LAPOR! export."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    start = forms.DateField(
        label=_("Received from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=_("Received until"), widget=forms.DateInput(attrs={"type": "date"}))
    lapor_only = forms.BooleanField(
        label=_("Only cases that came from SP4N-LAPOR!"), required=False, initial=True
    )
    file_type = forms.ChoiceField(
        label=_("File type"),
        choices=[("xlsx", "XLSX"), ("csv", "CSV")],
        initial="xlsx",
        widget=forms.RadioSelect,
    )

    MAX_DAYS = 366

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        today = timezone.localdate()
        self.fields["start"].initial = today.replace(day=1)
        self.fields["end"].initial = today

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end comes before the start."))
            elif end - start > timedelta(days=self.MAX_DAYS):
                self.add_error("end", _("Export at most one year at a time."))
        return data
