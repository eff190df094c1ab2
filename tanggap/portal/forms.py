"""Forms of the portal: the officer's publication draft, the public filters, following a case."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tanggap.cases.choices import CaseStatus

from .services import MAX_TEXT, MAX_TITLE


class PublicationForm(forms.Form):
    """The texts as they will be published, the extra strings to mask, and the confirmation."""

    title = forms.CharField(label=_("Public title"), max_length=MAX_TITLE)
    text = forms.CharField(label=_("Public text"), max_length=MAX_TEXT, widget=forms.Textarea)
    reply = forms.CharField(
        label=_("Public reply"), max_length=MAX_TEXT, required=False, widget=forms.Textarea
    )
    extra = forms.CharField(
        label=_("Also mask (one word or phrase a line)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Every occurrence is replaced by [DISAMARKAN] when you mask again."),
    )
    confirm = forms.BooleanField(
        label=_("I have checked the text: what remains may be published"), required=False
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why is it withdrawn?"), min_length=10, max_length=500)


STATUS_CHOICES = [
    ("", _("Any status")),
    ("open", _("Being handled")),
    ("closed", _("Closed")),
    *CaseStatus.choices,
]


class FilterForm(forms.Form):
    """Filters of the public list; unknown values are ignored rather than refused."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def __init__(self, *args, units=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All units"))] + [(u.pk, u.name) for u in units]
        self.fields["category"].choices = [("", _("All categories"))] + [
            (c.pk, c.name) for c in categories
        ]


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("We send a link to confirm. Your address is never shown."),
    )
