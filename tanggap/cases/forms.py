"""Forms of the case page and the inbox: one small form per transition, each carrying the
version of the case it was shown, so a stale form is refused instead of overwriting."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tanggap.accounts.models import Category, Service

from .choices import Complexity, Priority, RejectReason, ReportKind, Transition

PUBLIC_HINT = _("The reporter sees this on the tracking page.")
STAFF_HINT = _("Seen only by staff; it is part of the audit log.")


def _text(label, *, required=False, rows=2, help_text="", min_length=None, max_length=2000):
    return forms.CharField(
        label=label,
        required=required,
        min_length=min_length,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class OfficerChoiceField(forms.TypedChoiceField):
    """The officers who handle cases in the user's units, grouped by unit (no JavaScript)."""

    def __init__(self, *args, memberships=(), **kwargs):
        groups: dict[str, list] = {}
        self.users = {}
        for m in memberships:
            name = m.user.get_full_name() or m.user.username
            groups.setdefault(m.unit.name, []).append((m.user.pk, f"{name} ({m.user.username})"))
            self.users[m.user.pk] = m.user
        choices = [("", _("Nobody in particular"))] + list(groups.items())
        super().__init__(*args, choices=choices, coerce=int, empty_value=None, **kwargs)

    def clean(self, value):
        pk = super().clean(value)
        return self.users.get(pk) if pk is not None else None


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class VerifyForm(VersionedForm):
    complexity = forms.ChoiceField(
        label=_("Complexity"),
        choices=Complexity.choices,
        help_text=_("It sets how long the resolution may take."),
    )
    note = _text(_("Note (optional)"), help_text=STAFF_HINT)


class AssignForm(VersionedForm):
    unit = forms.ModelChoiceField(label=_("To unit"), queryset=None, empty_label=None)
    officer = OfficerChoiceField(label=_("And to officer (optional)"), required=False)
    note = _text(_("Instruction (optional)"), help_text=STAFF_HINT)

    def __init__(self, *args, units, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["officer"] = OfficerChoiceField(
            label=_("And to officer (optional)"), required=False, memberships=memberships
        )


class StartForm(VersionedForm):
    note = _text(_("Note (optional)"), help_text=STAFF_HINT)


class RequestInformationForm(VersionedForm):
    message = _text(
        _("What is missing"),
        required=True,
        rows=3,
        min_length=10,
        help_text=_(
            "Sent to the reporter. The unit's deadline pauses until they answer (at most 30 days)."
        ),
    )


class ResolveForm(VersionedForm):
    note = _text(_("Note (optional)"), help_text=PUBLIC_HINT)


class RejectForm(VersionedForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectReason.choices)
    forwarded_to = forms.CharField(
        label=_("Forwarded to (agency)"),
        required=False,
        max_length=200,
        help_text=_("Required when the report is not within our authority."),
    )
    note = _text(
        _("Explanation to the reporter"),
        required=True,
        rows=3,
        min_length=10,
        help_text=PUBLIC_HINT,
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("reason") == RejectReason.NOT_WITHIN_AUTHORITY
            and not (data.get("forwarded_to") or "").strip()
        ):
            self.add_error(
                "forwarded_to",
                ValidationError(
                    _("Name the agency the report is forwarded to; the reporter is told."),
                    code="required",
                ),
            )
        return data


class ArchiveForm(VersionedForm):
    note = _text(
        _("Note (optional)"),
        help_text=_("With a note the reporter is told; without one the archiving stays internal."),
    )


class ReopenForm(VersionedForm):
    reason = _text(_("Reason"), required=True, help_text=PUBLIC_HINT)


class WithdrawForm(VersionedForm):
    note = _text(
        _("Note (optional)"),
        help_text=_("Without a note the reporter gets the standard text about the lapsed window."),
    )


# The transitions officers perform on the case page, in the order of the panel.
TRANSITION_FORMS: dict[str, type[VersionedForm]] = {
    Transition.VERIFY: VerifyForm,
    Transition.ASSIGN: AssignForm,
    Transition.START: StartForm,
    Transition.REQUEST_INFORMATION: RequestInformationForm,
    Transition.RESOLVE: ResolveForm,
    Transition.REJECT: RejectForm,
    Transition.WITHDRAW: WithdrawForm,
    Transition.REOPEN: ReopenForm,
    Transition.ARCHIVE: ArchiveForm,
}


class CaseEditForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    complexity = forms.ChoiceField(label=_("Complexity"), choices=Complexity.choices)
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=None, empty_label=_("None")
    )
    service = forms.ModelChoiceField(
        label=_("Service"), required=False, queryset=None, empty_label=_("None")
    )
    is_confidential = forms.BooleanField(
        label=_("Confidential (rahasia): never shown publicly"), required=False
    )

    FIELDS = ("title", "kind", "priority", "complexity", "category", "service", "is_confidential")

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("initial", {name: getattr(case, name) for name in self.FIELDS})
        kwargs["initial"].setdefault("version", case.version)
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(
            organisation_id=case.organisation_id, is_active=True
        )
        self.fields["service"].queryset = Service.objects.filter(
            unit__organisation_id=case.organisation_id, is_active=True
        ).select_related("unit")

    def changes(self) -> dict:
        """Return the edited fields as case_edit expects them."""
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class AttachForm(forms.Form):
    """Join this case's report(s) to another case, found by its reference or tracking code."""

    target = forms.CharField(
        label=_("Reference or tracking code of the other case"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    report = forms.ModelChoiceField(
        label=_("Which report"),
        required=False,
        queryset=None,
        empty_label=_("Every report of this case (merge the cases)"),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = case.reports.all()
        self.fields["report"].label_from_instance = lambda r: f"{r.tracking_code}: {r.title}"


class CaseRefsField(forms.Field):
    """The ticked rows of the inbox, each "id:version"; the table renders the boxes."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Tick at least one case."),
        "invalid": _("Choose cases from the list."),
    }

    def to_python(self, value) -> list[tuple[int, int]]:
        refs = []
        for item in value or []:
            try:
                pk, version = item.split(":")
                refs.append((int(pk), int(version)))
            except ValueError as exc:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from exc
        return refs


class BulkForm(forms.Form):
    """Act on the cases ticked in the inbox: dispose them all, or merge them into one."""

    ASSIGN, MERGE = "assign", "merge"

    action = forms.ChoiceField(choices=[(ASSIGN, ASSIGN), (MERGE, MERGE)])
    # Each ticked row sends "id:version", so a case changed meanwhile is refused, not overwritten.
    cases = CaseRefsField(label=_("Cases"))
    unit = forms.ModelChoiceField(
        label=_("Dispose to unit"), required=False, queryset=None, empty_label=_("Choose a unit")
    )
    officer = OfficerChoiceField(label=_("And to officer (optional)"), required=False)
    note = _text(_("Instruction (optional)"), help_text=STAFF_HINT)
    into = forms.CharField(
        label=_("Merge into case (reference or tracking code)"),
        required=False,
        max_length=30,
        help_text=_("The reports of the other ticked cases join this case."),
    )

    def __init__(self, *args, units, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["officer"] = OfficerChoiceField(
            label=_("And to officer (optional)"), required=False, memberships=memberships
        )

    def clean(self):
        data = super().clean()
        if data.get("action") == self.ASSIGN and not data.get("unit"):
            self.add_error("unit", _("Choose the unit to dispose the cases to."))
        if data.get("action") == self.MERGE and not (data.get("into") or "").strip():
            self.add_error("into", _("Give the case the others are merged into."))
        return data


class HandoverForm(forms.Form):
    """The note an officer leaves for the next shift of a 24-hour unit."""

    shift = forms.IntegerField(widget=forms.HiddenInput)
    note = _text(
        _("Handover note"),
        required=True,
        rows=5,
        max_length=4000,
        help_text=_("What the next shift must know: open cases, promises made, what is urgent."),
    )
