"""Demo SKM periods and responses for the demo units (development databases only)."""

import random
import uuid
from datetime import date

from django.db import transaction
from django.utils import timezone

from tanggap.accounts.models import Counter, Unit

from .choices import Education, Gender, Occupation, ResponseChannel
from .elements import ELEMENT_KEYS
from .models import SurveyPeriod
from .services import ResponseInput, response_record

# (unit slug, population estimate, responses to create, mean answer per element)
PERIODS = (
    ("dpmptsp-kota-contoh", 1200, 64, {"waktu": 2.7, "sarana": 3.0, "biaya": 3.9}),
    ("spkt-polres-kota-contoh", 400, 41, {"waktu": 3.0, "perilaku": 2.9, "biaya": 3.8}),
)  # fmt: skip
COMMENTS = (
    "Antrian lama tp petugas ramah.",
    "Ruang tunggu panas, AC mati.",
    "Pelayanan cepat, terima kasih.",
    "Info syarat di website beda dgn di loket.",
    "",
)


def _semester(today: date) -> tuple[str, date, date]:
    if today.month <= 6:
        return f"Semester I {today.year}", date(today.year, 1, 1), date(today.year, 6, 30)
    return f"Semester II {today.year}", date(today.year, 7, 1), date(today.year, 12, 31)


def _answer(rng: random.Random, mean: float) -> int:
    return max(1, min(4, round(rng.gauss(mean, 0.6))))


def surveys_demo_exists() -> bool:
    return SurveyPeriod.objects.filter(unit__slug=PERIODS[0][0]).exists()


@transaction.atomic
def surveys_demo_load() -> int:
    """Open a semester period per demo unit and record varied responses; return how many."""
    rng = random.Random(14_2017)  # noqa: S311 - demo data, not security
    name, starts, ends = _semester(timezone.localdate())
    created = 0
    for slug, population, count, means in PERIODS:
        unit = Unit.objects.get(slug=slug)
        period = SurveyPeriod.objects.create(
            unit=unit, name=name, starts_on=starts, ends_on=ends, population=population
        )
        counters = list(Counter.objects.filter(unit=unit))
        services = list(unit.services.all())
        for n in range(count):
            answers = {key: _answer(rng, means.get(key, 3.4)) for key in ELEMENT_KEYS}
            response_record(
                ResponseInput(
                    period=period,
                    channel=rng.choice(list(ResponseChannel.values)[:2]),
                    answers=answers,
                    service=rng.choice(services) if services else None,
                    counter=rng.choice(counters) if counters else None,
                    comment=rng.choice(COMMENTS),
                    gender=rng.choice(Gender.values),
                    age=rng.randint(18, 75),
                    education=rng.choice(Education.values),
                    occupation=rng.choice(Occupation.values),
                    client_key=uuid.uuid4(),
                    source=f"demo-{n}",
                )
            )
            created += 1
    return created
