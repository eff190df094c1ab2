"""Forms for suggestion-box openings and the entry of their paper slips."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanggap.accounts.models import User
from tanggap.accounts.roles import Capability, roles_with
from tanggap.cases.choices import ReportKind

from .uploads import clean_upload


class OpeningForm(forms.Form):
    opened_at = forms.DateTimeField(
        label=_("Opened at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    witnesses = forms.ModelMultipleChoiceField(
        label=_("Witnessing officers (at least two besides you)"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    slips_found = forms.IntegerField(label=_("Slips found in the box"), min_value=0, max_value=5000)
    skm_forms_found = forms.IntegerField(
        label=_("SKM questionnaires found in the box"), min_value=0, max_value=5000, initial=0
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, box, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Officers of the box's unit or of a unit above it: those who may see its cases.
        ancestors = [p for p in box.unit.path.split("/") if p]
        paths = ["/" + "/".join(ancestors[:i]) + "/" for i in range(1, len(ancestors) + 1)]
        self.fields["witnesses"].queryset = (
            User.objects.filter(
                is_active=True,
                memberships__unit__path__in=paths,
                memberships__role__in=roles_with(Capability.VIEW_CASES),
            )
            .exclude(pk=user.pk)
            .distinct()
            .order_by("first_name", "username")
        )
        self.fields["witnesses"].label_from_instance = lambda u: u.get_full_name() or u.username
        if not self.is_bound:
            self.initial.setdefault("opened_at", timezone.localtime().replace(second=0))


class SlipForm(forms.Form):
    receipt_number = forms.CharField(
        label=_("Receipt number on the slip's stub (optional)"),
        required=False,
        max_length=30,
        help_text=_("Leave empty if the slip has none: a number is given and posted publicly."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, min_length=3)
    description = forms.CharField(
        label=_("Text of the slip"),
        max_length=5000,
        min_length=3,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    photo = forms.FileField(label=_("Photo of the slip"))
    name = forms.CharField(label=_("Name, if written (optional)"), required=False, max_length=120)
    email = forms.EmailField(label=_("E-mail, if written (optional)"), required=False)
    phone = forms.RegexField(
        label=_("Telephone, if written (optional)"),
        required=False,
        max_length=20,
        regex=r"^\+?[0-9 ()-]{8,20}$",
        error_messages={"invalid": _("Enter a telephone number, for example 0812 3456 7890.")},
    )
    is_confidential = forms.BooleanField(
        label=_("Confidential (rahasia): never shown publicly"), required=False
    )

    def clean_photo(self):
        upload = self.cleaned_data["photo"]
        try:
            clean = clean_upload(upload.name, upload.read())
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        if not clean.content_type.startswith("image/"):
            raise ValidationError(_("The photo must be a JPEG, PNG or WebP image."), code="photo")
        return clean


class OpeningCloseForm(forms.Form):
    note = forms.CharField(
        label=_("Why fewer slips were entered than found (if so)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SlipLookupForm(forms.Form):
    number = forms.CharField(label=_("Receipt number"), max_length=30)
