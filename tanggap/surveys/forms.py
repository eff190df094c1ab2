"""The SKM questionnaire form: the nine standard questions by key, the unit's own questions,
the profile and comments."""

import uuid

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tanggap.accounts.models import Service

from .choices import Education, Gender, Occupation, QuestionKind, ReviewStatus
from .elements import ANSWER_VALUES, ELEMENTS, QUESTIONNAIRE_ORDER
from .selectors import questions_for
from .unit_questions import TEXT_MAX_LENGTH

EXTRA_PREFIX = "q_"


def _texts(element):
    if translation.get_language() == "en":
        return element.question_en, element.answers_en
    return element.question_id, element.answers_id


class ProfileForm(forms.Form):
    """The service received, the ticket code, comments and the respondent profile (Lampiran)."""

    service = forms.ModelChoiceField(
        label=_("Which service did you receive?"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("Choose the service"),
    )
    ticket_code = forms.CharField(label=_("Code on your ticket"), max_length=40, required=False)
    comment = forms.CharField(
        label=_("Criticism and suggestions (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", "—"), *Gender.choices]
    )
    age = forms.IntegerField(label=_("Age"), required=False, min_value=10, max_value=120)
    education = forms.ChoiceField(
        label=_("Education"), required=False, choices=[("", "—"), *Education.choices]
    )
    occupation = forms.ChoiceField(
        label=_("Occupation"), required=False, choices=[("", "—"), *Occupation.choices]
    )

    def __init__(self, *args, period, fixed_service=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period
        services = period.unit.services.filter(is_active=True)
        if fixed_service or period.service_id or not services.exists():
            del self.fields["service"]
        else:
            self.fields["service"].queryset = services
        if not period.requires_code:
            del self.fields["ticket_code"]
        else:
            self.fields["ticket_code"].required = True

    def profile(self) -> dict:
        """Return the profile fields as ResponseInput keywords."""
        data = self.cleaned_data
        return {
            "comment": data.get("comment", ""),
            "gender": data.get("gender", ""),
            "age": data.get("age"),
            "education": data.get("education", ""),
            "occupation": data.get("occupation", ""),
            "ticket_code": data.get("ticket_code", ""),
        }


class KioskBodyForm(ProfileForm):
    """The fields of a queued kiosk response besides its answers, key and queue time."""


def _extra_field(question) -> forms.Field:
    """Return the optional form field of one of the unit's own questions."""
    if question.kind == QuestionKind.SCALE:
        labels = question.labels()
        return forms.TypedChoiceField(
            label=question.text(),
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            choices=[(value, labels[value - 1]) for value in ANSWER_VALUES],
        )
    return forms.CharField(label=question.text(), required=False, max_length=TEXT_MAX_LENGTH)


class QuestionnaireForm(ProfileForm):
    """Questions in the order of the Lampiran form; answers keyed by element, never position.

    The unit's own questions follow the nine, optional, as fields ``q_<question id>``.
    """

    client_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, period, fixed_service=None, **kwargs):
        super().__init__(*args, period=period, fixed_service=fixed_service, **kwargs)
        for key in QUESTIONNAIRE_ORDER:
            question, answers = _texts(ELEMENTS[key])
            self.fields[key] = forms.TypedChoiceField(
                label=question,
                coerce=int,
                required=True,
                widget=forms.RadioSelect,
                choices=[(value, answers[value - 1]) for value in (1, 2, 3, 4)],
                error_messages={"required": _("Choose one answer.")},
            )
        self.questions = list(questions_for(period, active_only=True))
        for question in self.questions:
            self.fields[f"{EXTRA_PREFIX}{question.pk}"] = _extra_field(question)
        if not self.is_bound:
            self.initial.setdefault("client_key", uuid.uuid4())

    def element_fields(self):
        return [self[key] for key in QUESTIONNAIRE_ORDER]

    def answers(self) -> dict:
        return {key: self.cleaned_data[key] for key in QUESTIONNAIRE_ORDER}

    def extra_fields(self):
        """Return the bound fields of the unit's own questions, in their order."""
        return [self[f"{EXTRA_PREFIX}{question.pk}"] for question in self.questions]

    def extra_answers(self) -> dict:
        """Return the answered own questions as question id (text) -> answer."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"{EXTRA_PREFIX}{question.pk}")
            if value not in (None, ""):
                answers[str(question.pk)] = value
        return answers


class ReviewForm(forms.Form):
    """A surveyor's decision on one flagged response."""

    response = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[(s.value, s.label) for s in (ReviewStatus.KEPT, ReviewStatus.EXCLUDED)]
    )
