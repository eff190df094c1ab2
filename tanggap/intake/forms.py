"""Forms for the public report form, tracking, and officers' walk-in entry."""

import uuid
from decimal import Decimal
from itertools import groupby

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanggap.accounts.models import Category, Service, Unit
from tanggap.cases.choices import OFFICER_CHANNELS, Channel, ReportKind

from .uploads import MAX_FILES, clean_uploads


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field taking several files; content checks happen in uploads.clean_uploads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise ValidationError(
                _("At most %(n)d files can be attached.") % {"n": MAX_FILES}, code="too_many_files"
            )
        return clean_uploads([(f.name, f.read()) for f in files]) if files else []


class GroupedChoiceIterator(ModelChoiceIterator):
    """Yield the choices in groups (optgroups), one per unit or organisation."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for group, items in groupby(self.queryset, key=self.field.group_of):
            yield (group, [self.choice(obj) for obj in items])


class GroupedModelChoiceField(forms.ModelChoiceField):
    """Offer choices grouped by unit, so one page works without JavaScript."""

    iterator = GroupedChoiceIterator

    def __init__(self, *args, group_of, **kwargs):
        self.group_of = group_of
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return obj.name


IDENTITY_CHOICES = [
    ("identified", _("Show my identity to the officers handling the report")),
    (
        "anonymous",
        _(
            "Anonymous: my name is not recorded; the reported party and the public "
            "cannot know who I am"
        ),
    ),
]


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to send?"),
        choices=ReportKind.choices,
        widget=forms.RadioSelect,
        initial=ReportKind.COMPLAINT,
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), empty_label=_("Choose the unit")
    )
    service = GroupedModelChoiceField(
        label=_("Service (optional)"),
        required=False,
        queryset=Service.objects.none(),
        empty_label=_("Not sure"),
        group_of=lambda service: service.unit.name,
    )
    category = GroupedModelChoiceField(
        label=_("Category (optional)"),
        required=False,
        queryset=Category.objects.none(),
        empty_label=_("Not sure"),
        group_of=lambda category: category.organisation.name,
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        min_length=5,
        help_text=_("A short summary, for example “Queue for SKCK too long”."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        min_length=20,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened, where, and what you expect. At most 5,000 characters."),
    )
    occurred_at = forms.DateTimeField(
        label=_("When did it happen? (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    location_text = forms.CharField(label=_("Location (optional)"), max_length=300, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=Decimal("-11"),
        max_value=Decimal("6"),
        decimal_places=6,
        max_digits=9,
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=Decimal("94"),
        max_value=Decimal("142"),
        decimal_places=6,
        max_digits=9,
    )
    files = MultipleFileField(
        label=_("Photos or PDF (optional)"),
        required=False,
        help_text=_("Up to 5 files: JPEG, PNG, WebP or PDF, at most 10 MB each."),
    )
    identity = forms.ChoiceField(
        label=_("Your identity"),
        choices=IDENTITY_CHOICES,
        widget=forms.RadioSelect,
        initial="identified",
    )
    is_confidential = forms.BooleanField(
        label=_("Confidential (rahasia): the content of my report is never shown publicly"),
        required=False,
    )
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False, max_length=200)
    phone = forms.RegexField(
        label=_("Telephone or WhatsApp (optional)"),
        required=False,
        max_length=20,
        regex=r"^\+?[0-9 ()-]{8,20}$",
        error_messages={"invalid": _("Enter a telephone number, for example 0812 3456 7890.")},
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units, fixed_unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_unit = fixed_unit
        units = units.filter(pk=fixed_unit.pk) if fixed_unit else units
        self.fields["unit"].queryset = units
        if fixed_unit:
            self.fields["unit"].initial = fixed_unit.pk
            self.fields["unit"].widget = forms.HiddenInput()
        self.fields["service"].queryset = (
            Service.objects.filter(unit__in=units, is_active=True)
            .select_related("unit")
            .order_by("unit__name", "name")
        )
        self.fields["category"].queryset = (
            Category.objects.filter(organisation__units__in=units, is_active=True)
            .select_related("organisation")
            .distinct()
            .order_by("organisation__name", "name")
        )
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())

    def clean_occurred_at(self):
        value = self.cleaned_data.get("occurred_at")
        if value and value > timezone.now():
            raise ValidationError(_("The date cannot be in the future."), code="future")
        return value

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("latitude", _("Give both latitude and longitude, or neither."))
        if data.get("identity") == "identified" and not (data.get("name") or "").strip():
            self.add_error("name", _("Enter your name, or choose to report anonymously."))
        if unit and data.get("service") and data["service"].unit_id != unit.pk:
            self.add_error("service", _("This service is not offered by the chosen unit."))
        if (
            unit
            and data.get("category")
            and data["category"].organisation_id != unit.organisation_id
        ):
            self.add_error("category", _("This category does not belong to the chosen unit."))
        return data


class OfficerReportForm(ReportForm):
    """The same form for a walk-in or phone caller, entered by an officer."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(c.value, c.label) for c in OFFICER_CHANNELS],
        initial=Channel.WALK_IN,
    )

    field_order = ["channel"]


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    pin = forms.RegexField(
        label=_("PIN"),
        regex=r"^\s*\d{6}\s*$",
        max_length=10,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"invalid": _("The PIN has 6 digits.")},
    )


class AddInformationForm(forms.Form):
    message = forms.CharField(
        label=_("Additional information"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    files = MultipleFileField(label=_("Photos or PDF (optional)"), required=False)


class IdentityRevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for opening the identity"),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
