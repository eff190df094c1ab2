"""Near-duplicate cases: band keys stored with every text, and the cases most like a text.

Every text a case receives (the opening report, information added later, a report that joins
it) adds its LSH band keys (``insights.similarity``) to ``CaseBandKey``. A lookup computes the
keys of the query text, reads the newest cases sharing each key through the (key, case) primary
key, keeps the open ones and those closed within WINDOW of the same organisation, and ranks the
best SHORTLIST of them by the Jaccard similarity of their texts, with small boosts for the same
unit, the same place and recency. No query reads more than BANDS × PER_KEY key rows.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from tanggap.accounts.models import Unit
from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import units_for
from tanggap.insights import similarity
from tanggap.insights.similarity import Candidate, Place

from .choices import OPEN_STATUSES, CaseStatus
from .models import Case, CaseBandKey

# A closed case stays a candidate this long after it closed (or was received, when the close
# time is unknown); an open case always is one.
WINDOW = timedelta(days=90)
# The newest cases read per band key: a key shared by thousands of cases (a text repeated
# very often) costs no more than this.
PER_KEY = 100
# Candidates, by shared bands, checked for status, organisation and scope.
POOL = 100


@dataclass(frozen=True)
class SimilarCase:
    """A case like the query: its similarity (0 to 1) and whether a report may join it."""

    case: Case
    similarity: float
    score: float

    @property
    def percent(self) -> int:
        """Return the similarity in whole percent."""
        return round(self.similarity * 100)

    @property
    def likely(self) -> bool:
        """Return whether the case is most likely the same matter."""
        return self.similarity >= similarity.HIGH_SIMILARITY

    @property
    def is_open(self) -> bool:
        """Return whether the case is open, so a report may still join it."""
        return self.case.status in OPEN_STATUSES


def case_keys_add(*, case: Case, text: str) -> int:
    """Store the band keys of *text*, a text of *case*; return how many keys it has."""
    keys = similarity.text_keys(text, namespace=case.organisation_id)
    CaseBandKey.objects.bulk_create(
        [CaseBandKey(key=key, case_id=case.pk) for key in keys], ignore_conflicts=True
    )
    return len(keys)


def keys_backfill(*, batch: int = 2000, rebuild: bool = False, progress=None) -> int:
    """Store the band keys of every case's whole text; return how many cases were read.

    Run after loading cases without the services (an import) or, with *rebuild*, after
    similarity.SCHEME changed. Reads cases in id order, *batch* at a time, one transaction
    each; existing keys are kept, so it can be stopped and run again.
    """
    if rebuild:
        table = connection.ops.quote_name(CaseBandKey._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a quoted model table name
    done, last = 0, 0
    while True:
        rows = list(
            Case.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "organisation_id", "search_text")[:batch]
        )
        if not rows:
            return done
        keys = [
            CaseBandKey(key=key, case_id=pk)
            for pk, organisation_id, text in rows
            for key in similarity.text_keys(text, namespace=organisation_id)
        ]
        with transaction.atomic():
            CaseBandKey.objects.bulk_create(keys, batch_size=5000, ignore_conflicts=True)
        done, last = done + len(rows), rows[-1][0]
        if progress:
            progress(done)


def band_hits(keys: list[int], *, per_key: int = PER_KEY, pool: int = POOL) -> dict[int, int]:
    """Return {case id: shared keys} for the *pool* cases sharing most of *keys*.

    Each key's newest *per_key* cases are read through the (key, case) index, one index range
    per key in a UNION ALL (portable: PostgreSQL and SQLite both order and limit inside a
    subquery of a compound statement).
    """
    if not keys:
        return {}
    qn = connection.ops.quote_name
    table, key, case = qn(CaseBandKey._meta.db_table), qn("key"), qn("case_id")
    # Only quoted names and integers are formatted in. The keys are written as literals, not
    # parameters: splitting a 16-placeholder statement on the client cost more than the query.
    union = " UNION ALL ".join(
        f"SELECT {case} FROM (SELECT {case} FROM {table} WHERE {key} = {int(k)} "  # noqa: S608
        f"ORDER BY {case} DESC LIMIT {int(per_key)}) AS k{n}"
        for n, k in enumerate(keys)
    )
    sql = (
        f"SELECT {case}, COUNT(*) FROM ({union}) AS hits "  # noqa: S608
        f"GROUP BY {case} ORDER BY COUNT(*) DESC, {case} DESC LIMIT {int(pool)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def _alive(now: datetime) -> Q:
    since = now - WINDOW
    return (
        Q(status__in=OPEN_STATUSES)
        | Q(closed_at__gte=since)
        | Q(closed_at__isnull=True, received_at__gte=since)
    )


def _places(case_ids: Iterable[int]) -> dict[int, Place]:
    """Return each case's place from its reports (location texts joined, first coordinates)."""
    report = apps.get_model("intake", "Report")  # by label: intake sits below cases
    texts: dict[int, list[str]] = {}
    coordinates: dict[int, tuple[float, float]] = {}
    rows = report.objects.filter(case_id__in=list(case_ids)).values_list(
        "case_id", "location_text", "latitude", "longitude"
    )
    for case_id, text, latitude, longitude in rows.order_by("pk"):
        texts.setdefault(case_id, []).append(text)
        if latitude is not None and longitude is not None:
            coordinates.setdefault(case_id, (float(latitude), float(longitude)))
    return {
        pk: Place(" ".join(t for t in parts if t), *coordinates.get(pk, (None, None)))
        for pk, parts in texts.items()
    }


def _pool(hits: dict[int, int], *, organisation_id: int, now: datetime, exclude, user) -> dict:
    """Return {id: (unit id, status, received at, text)} of the candidates that may be shown."""
    qs = Case.objects.filter(pk__in=list(hits), organisation_id=organisation_id)
    qs = qs.filter(_alive(now))
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    if user is not None:
        qs = qs.filter(unit__in=units_for(user, Capability.VIEW_CASES))
    rows = qs.values_list("pk", "unit_id", "status", "received_at", "search_text")
    return {pk: rest for pk, *rest in rows}


def similar_cases(
    *,
    case: Case | None = None,
    text: str = "",
    unit: Unit | None = None,
    place: Place | None = None,
    limit: int = 5,
    user=None,
    now: datetime | None = None,
) -> list[SimilarCase]:
    """Return up to *limit* cases most like *case* (its whole text) or *text*, best first.

    Candidates are cases of the same organisation, open or closed within WINDOW, other than
    *case*, with a similarity of at least similarity.MIN_SIMILARITY; with *user*, only the
    cases that user may see. *unit* (default: the case's) and *place* (default: the case's
    reports') only order them. Four queries (five with *user*), whatever the number of cases.
    """
    if case is not None:
        text, unit = case.search_text, unit or case.unit
    if unit is None:
        raise ValueError("similar_cases needs a case or a unit")
    now = now or timezone.now()
    hits = band_hits(similarity.text_keys(text, namespace=unit.organisation_id))
    if not hits:
        return []
    pool = _pool(
        hits,
        organisation_id=unit.organisation_id,
        now=now,
        exclude=case.pk if case else None,
        user=user,
    )
    shortlist = similarity.shortlist({pk: hits[pk] for pk in pool}, similarity.SHORTLIST)
    places = _places([*shortlist, *([case.pk] if case and place is None else [])])
    if case is not None and place is None:
        place = places.get(case.pk)
    candidates = [
        Candidate(
            id=pk,
            shingles=similarity.shingles(pool[pk][3]),
            unit_id=pool[pk][0],
            place=places.get(pk, Place()),
            age_days=(now - pool[pk][2]).total_seconds() / 86400,
        )
        for pk in shortlist
        # An archived case without reports gave them all to another (a merge): not a match.
        if pk in places or pool[pk][1] != CaseStatus.ARCHIVED
    ]
    matches = similarity.rank(
        similarity.shingles(text), candidates, unit_id=unit.pk, place=place or Place(), limit=limit
    )
    if not matches:
        return []
    shown = Case.objects.select_related("unit").in_bulk([m.id for m in matches])
    return [SimilarCase(case=shown[m.id], similarity=m.similarity, score=m.score) for m in matches]
