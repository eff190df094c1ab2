"""Forms of the action and incident screens; the services do the domain checks."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanggap.accounts.models import Membership, Unit, User
from tanggap.accounts.roles import Role
from tanggap.intake.uploads import MAX_FILE_BYTES, clean_upload
from tanggap.surveys.elements import ELEMENT_KEYS, ELEMENTS

from .choices import ActionStatus, EvidenceStage, IncidentStatus
from .selectors import ancestor_paths
from .services.checks import MAX_MESSAGE, MAX_TEXT, MAX_TITLE


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


def _staff_of(units):
    """Return the users holding a staff role on *units* or above them."""
    paths = {p for unit in units for p in ancestor_paths(unit.path)}
    members = Membership.objects.filter(
        unit__path__in=paths, role__in=[Role.OFFICER, Role.SUPERVISOR]
    )
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by(
        "first_name", "last_name", "username"
    )


class ActionForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    description = forms.CharField(
        label=_("Description"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What will change, for whom. Shown on the public page: no personal details."),
    )
    owner = OwnerChoiceField(label=_("Owner"), queryset=User.objects.none())
    target_date = forms.DateField(
        label=_("Target date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, units, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")
        self.fields["owner"].queryset = _staff_of(list(units))
        if action is not None:
            # The unit of an action never changes: its cases and findings belong to it.
            del self.fields["unit"]


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    message = forms.CharField(
        label=_("Message to the reporters"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Every reporter of a linked case receives it."),
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=MAX_TITLE)
    due = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class EvidenceForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Before or after"), choices=EvidenceStage.choices, widget=forms.RadioSelect
    )
    caption = forms.CharField(label=_("Caption"), max_length=300)
    file = forms.FileField(
        label=_("Photo or PDF"),
        help_text=_("JPEG, PNG, WebP or PDF, at most 10 MB; photos lose their location data."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            # Refused before reading it into memory.
            raise ValidationError(_("The file is larger than 10 MB."), code="file_size")
        return clean_upload(upload.name, upload.read())


class LinkCaseForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference or tracking code"),
        max_length=40,
        help_text=_("For example TGP-ABCD-EFGH."),
    )


class FindingForm(forms.Form):
    period = forms.ModelChoiceField(label=_("Survey period"), queryset=None)
    element = forms.ChoiceField(
        label=_("Element"),
        choices=[(key, ELEMENTS[key].name_id) for key in ELEMENT_KEYS],
    )

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods


class PublishForm(forms.Form):
    publish = forms.BooleanField(required=False)


class IncidentForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    description = forms.CharField(
        label=_("Public description"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Every reporter of a linked report reads it: no personal details."),
    )
    started_at = forms.DateTimeField(
        label=_("Started at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Empty: now."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")

    def clean_started_at(self):
        value = self.cleaned_data.get("started_at")
        if value and value > timezone.now():
            raise ValidationError(_("The start cannot be in the future."), code="future")
        return value


class IncidentSearchForm(forms.Form):
    q = forms.CharField(label=_("Search open cases"), max_length=100, required=False)


class IdListField(forms.Field):
    """Several case ids ticked in a list (the template renders the boxes)."""

    widget = forms.SelectMultiple
    default_error_messages = {"invalid": _("Choose cases from the list.")}

    def to_python(self, value):
        if not value:
            return []
        try:
            ids = sorted({int(v) for v in value})
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if len(ids) > 200:
            raise ValidationError(_("Link at most 200 cases at a time."), code="too_many")
        return ids


class IncidentLinkForm(forms.Form):
    cases = IdListField(label=_("Cases"), error_messages={"required": _("Tick at least one case.")})


class IncidentUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in (IncidentStatus.OPEN, IncidentStatus.MONITORING)],
    )
    message = forms.CharField(
        label=_("Update for the reporters"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class IncidentCloseForm(forms.Form):
    message = forms.CharField(
        label=_("Answer to every reporter"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Sent as the reply to each open case, which is then resolved. "
            "Cases waiting for their reporter's information stay open."
        ),
    )
    confirm = forms.BooleanField(label=_("I have checked the linked cases; close them all."))
