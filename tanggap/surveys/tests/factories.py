"""Factories for survey periods and units' own questions."""

from datetime import timedelta

import factory
from django.utils import timezone

from tanggap.accounts.tests.factories import UnitFactory
from tanggap.surveys.elements import ELEMENT_KEYS
from tanggap.surveys.models import SurveyPeriod


class SurveyPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyPeriod

    unit = factory.SubFactory(UnitFactory)
    name = "Semester II 2026"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


ALL_FOUR = dict.fromkeys(ELEMENT_KEYS, 4)


class SurveyQuestionFactory(factory.django.DjangoModelFactory):
    """A unit's own 1..4 question asked in every period of the unit."""

    class Meta:
        model = "surveys.SurveyQuestion"

    unit = factory.SubFactory(UnitFactory)
    text_id = "Bagaimana kebersihan ruang tunggu?"
    text_en = "How clean was the waiting room?"
    kind = "scale"
    label_1_id, label_2_id, label_3_id, label_4_id = (
        "Kotor",
        "Kurang bersih",
        "Bersih",
        "Sangat bersih",
    )
    label_1_en, label_2_en, label_3_en, label_4_en = (
        "Dirty",
        "Not very clean",
        "Clean",
        "Very clean",
    )


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    """A stored response; with ``flagged=True`` one flagged on arrival and awaiting review."""

    class Meta:
        model = "surveys.SurveyResponse"

    class Params:
        flagged = factory.Trait(
            is_flagged=True,
            review_status="pending",
            flag_reason="identical answers from the same source within 10 minutes",
        )

    period = factory.SubFactory(SurveyPeriodFactory)
    unit = factory.SelfAttribute("period.unit")
    channel = "online"
    answers = factory.LazyFunction(lambda: dict(ALL_FOUR))
