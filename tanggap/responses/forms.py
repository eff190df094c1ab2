"""Forms of the reply screens and of the citizen's verdict; the services check the rules."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tanggap.intake.forms import MultipleFileField
from tanggap.intake.uploads import MAX_FILE_BYTES, MAX_FILES

from .choices import Rating
from .models import ReplyTemplate
from .services import MAX_BODY, MAX_COMMENT, MIN_BODY, MIN_NOTE

FINAL, INTERIM = "final", "interim"
ACCEPT, CONTEST = "accept", "contest"


class ReplyForm(forms.Form):
    """A reply: its text, whether it is final or interim, and files to send with it."""

    body = forms.CharField(
        label=_("Reply to the reporter"),
        min_length=MIN_BODY,
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "The reporter reads this on the tracking page and by e-mail. "
            "Do not write the reporter's name or contact details."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Kind of reply"),
        choices=[
            (FINAL, _("Final reply: the reporter may accept or contest it within the window")),
            (INTERIM, _("Interim reply: a progress update while the case is being handled")),
        ],
        initial=FINAL,
        widget=forms.RadioSelect,
    )
    files = MultipleFileField(label=_("Attachments (optional)"), required=False)
    template = forms.ModelChoiceField(
        queryset=ReplyTemplate.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, templates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if templates is not None:
            self.fields["template"].queryset = templates
        self.fields["files"].help_text = gettext(
            "Photos (JPEG, PNG, WebP) or PDF, at most %(n)d files of %(mb)d MB each."
        ) % {"n": MAX_FILES, "mb": MAX_FILE_BYTES // (1024 * 1024)}

    @property
    def is_final(self) -> bool:
        return self.cleaned_data["kind"] == FINAL


class TemplateChoiceForm(forms.Form):
    """Pick a template to start a reply from (a GET form, so it works without scripts)."""

    template = forms.ModelChoiceField(
        label=_("Start from a template"),
        queryset=ReplyTemplate.objects.none(),
        empty_label=_("Choose a template"),
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by staff only, never by the reporter."),
    )


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("What should the author change?"),
        min_length=MIN_NOTE,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VerdictForm(forms.Form):
    """The reporter's rating of the handling, a comment, and acceptance or objection."""

    rating = forms.TypedChoiceField(
        label=_("How do you rate the handling of your report?"),
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required if you contest the reply: tell us what is still wrong."),
    )

    def clean(self):
        # The decision is the button pressed: "Accept" or "Contest".
        decision = self.data.get(self.add_prefix("decision"))
        if decision not in (ACCEPT, CONTEST):
            raise forms.ValidationError(
                _("Choose whether you accept or contest the reply."), code="decision"
            )
        self.cleaned_data["decision"] = decision
        return self.cleaned_data

    @property
    def accepted(self) -> bool:
        return self.cleaned_data["decision"] == ACCEPT
