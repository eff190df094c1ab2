"""Factories for survey periods."""

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
