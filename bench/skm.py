"""SKM index (IKM) for one semester over 1M responses: the product path vs a one-aggregate floor.

    .venv/bin/python bench/skm.py --load            # create/migrate the database, load, measure
    .venv/bin/python bench/skm.py                   # measure the data already loaded
    .venv/bin/python bench/skm.py --reset --load    # drop and recreate the database first
    .venv/bin/python bench/skm.py --sqlite-check    # exactness on a throw-away SQLite file

Floor: one SQL statement over the same table that averages the nine elements of the same rows
(the semester's 50 periods, unflagged responses). Product, before commit 52ad552: the real
``index.compute`` over ``values_list("answers")`` (``period_summary`` generalised to the 50
periods) and the staff list page's 50 ``period_summary`` calls (a verbatim copy of the old
function). Product now: ``selectors.tallies`` + ``index.from_tallies`` and
``selectors.period_summaries``. Alternatives: ``ikm_by_sql``/``summary_by_sql``/
``summaries_by_sql`` (a NULL-propagating cast instead of per-element FILTERs) and a
PostgreSQL-only ``jsonb_to_record`` statement. Every path is checked equal to
``index.compute`` (exact ``Fraction``) before it is timed; one unit's period is timed too.
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from fractions import Fraction
from pathlib import Path
from urllib.parse import urlsplit

from django.db.models import Func, IntegerField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tanggap_bench_skm"
BATCH = 5000
N_UNITS = 50
ORG_SLUG = "skm-bench-sukamaju"

# Unit kinds and their ten services each (jenis layanan).
UNIT_KINDS = [
    (
        "Kecamatan",
        [
            "KTP-el", "Kartu Keluarga", "Surat pindah", "SKTM", "Surat keterangan usaha",
            "Legalisasi dokumen", "Rekomendasi PBG", "Dispensasi nikah", "Izin keramaian",
            "Surat keterangan ahli waris",
        ],
    ),
    (
        "Puskesmas",
        [
            "Pemeriksaan umum", "KIA dan KB", "Imunisasi", "Gigi dan mulut", "Laboratorium",
            "Farmasi", "Gizi", "Surat keterangan sehat", "Rujukan", "Konseling",
        ],
    ),
    (
        "Polsek",
        [
            "SKCK", "Laporan kehilangan", "Laporan polisi", "Izin keramaian", "Surat tanda lapor",
            "Pengawalan", "Konsultasi hukum", "Layanan Bhabinkamtibmas", "Pengaduan masyarakat",
            "Legalisir SKCK",
        ],
    ),
    (
        "UPT Samsat",
        [
            "Pajak tahunan", "Pajak lima tahunan", "Balik nama", "Mutasi keluar", "Mutasi masuk",
            "Ganti plat", "Blokir kendaraan", "Cek fisik", "Duplikat STNK", "Pengesahan STNK",
        ],
    ),
    (
        "Kelurahan",
        [
            "Surat pengantar", "Surat domisili", "SKTM", "Surat keterangan kematian",
            "Surat keterangan kelahiran", "Surat keterangan usaha", "Surat belum menikah",
            "Surat keterangan ahli waris", "Legalisasi", "Rekomendasi bantuan sosial",
        ],
    ),
]  # fmt: skip
PLACES = [
    "Sukamaju", "Cibiru", "Margahayu", "Sukasari", "Cijambe", "Bojongsari", "Tanjungsari",
    "Sumberjaya", "Karanganyar", "Mekarsari",
]  # fmt: skip
# Mean answer per element (the slow, costly and complaint-handling elements score lowest).
ELEMENT_MEANS = {
    "persyaratan": 3.20,
    "prosedur": 3.10,
    "waktu": 2.75,
    "biaya": 3.70,
    "produk": 3.20,
    "kompetensi": 3.30,
    "perilaku": 3.45,
    "pengaduan": 2.90,
    "sarana": 3.00,
}
# Share of unanswered cells per element: about 2 % overall, more for cost and complaints.
UNANSWERED = dict.fromkeys(ELEMENT_MEANS, 0.012) | {"biaya": 0.03, "pengaduan": 0.06}
FLAGGED = 0.01
CHANNELS = [("kiosk", 55), ("online", 30), ("paper", 10), ("invitation", 5)]
COMMENTS = [
    "Antrian lama tp petugas ramah.",
    "Ruang tunggu panas, AC mati.",
    "Pelayanan cepat, terima kasih.",
    "Info syarat di website beda dgn di loket.",
    "Parkir sempit.",
    "Petugas kurang senyum.",
    "Mantap, pertahankan.",
]
FLAG_REASONS = [
    "identical answers from the same source within 10 minutes",
    "more than 20 responses from the same source within an hour",
]


def parse_args():
    """Read the command line."""
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--load",
        type=int,
        nargs="?",
        const=1_000_000,
        metavar="N",
        help="create/migrate the database and load N responses (default 1,000,000)",
    )
    p.add_argument("--reset", action="store_true", help="drop and recreate the database first")
    p.add_argument("--no-measure", action="store_true", help="load only")
    p.add_argument(
        "--sqlite-check",
        type=int,
        nargs="?",
        const=5000,
        metavar="N",
        help="instead: check ikm_by_sql and the summaries against the product on a throw-away "
        "SQLite database of N responses (default 5,000); PostgreSQL is not touched",
    )
    p.add_argument("--database-url", default=os.environ.get("SKM_DATABASE_URL", DEFAULT_URL))
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--batch", type=int, default=BATCH)
    p.add_argument("--runs", type=int, default=30, help="timed runs of the fast measurements")
    p.add_argument("--slow-runs", type=int, default=5, help="timed runs of the 1M Python paths")
    p.add_argument("--warmup", type=int, default=3, help="warm-up calls (1 for the slow paths)")
    p.add_argument("--max-seconds", type=float, default=60, help="time cap per measurement")
    return p.parse_args()


# --- database ---------------------------------------------------------------------------------


def psql(url: str, sql: str) -> str:
    """Run *sql* with psql against the server's ``postgres`` database; return stdout."""
    u = urlsplit(url)
    cmd = ["psql", "-h", u.hostname or "127.0.0.1", "-p", str(u.port or 5432)]
    cmd += ["-U", u.username or "postgres", "-d", "postgres", "-tAX", "-v", "ON_ERROR_STOP=1"]
    return subprocess.run(cmd + ["-c", sql], check=True, capture_output=True, text=True).stdout


def prepare_database(url: str, reset: bool) -> None:
    """Create (after dropping, with --reset) the benchmark database and migrate it."""
    name = urlsplit(url).path.lstrip("/")
    if not name.replace("_", "").isalnum():
        sys.exit(f"unexpected database name {name!r}")
    if reset:
        print(f"dropping database {name}", flush=True)
        psql(url, f"DROP DATABASE IF EXISTS {name}")
    exists = f"SELECT 1 FROM pg_database WHERE datname = '{name}'"  # noqa: S608 - checked name
    if not psql(url, exists).strip():
        print(f"creating database {name}", flush=True)
        psql(url, f"CREATE DATABASE {name}")
    env = os.environ | {
        "DATABASE_URL": url,
        "SECRET_KEY": "x",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
    }
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    print(f"migrated in {time.monotonic() - started:.1f} s", flush=True)


def django_setup(database_url: str) -> None:
    """Configure Django with the production settings on the benchmark database."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")
    import django

    django.setup()


# --- load -------------------------------------------------------------------------------------


def semester(today: date) -> tuple[str, date, date]:
    """Return the name, first and last day of the semester holding *today*."""
    if today.month <= 6:
        return f"Semester I {today.year}", date(today.year, 1, 1), date(today.year, 6, 30)
    return f"Semester II {today.year}", date(today.year, 7, 1), date(today.year, 12, 31)


def weighted(rng, pairs):
    """Pick one value of (value, weight) pairs."""
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]


def build_units(rng):
    """Create the organisation, 50 units with 10 services each and one semester period each."""
    from tanggap.accounts.models import Organisation, Service, Unit
    from tanggap.surveys.models import SurveyPeriod

    org = Organisation.objects.create(name="Pemerintah Kabupaten Sukamaju", slug=ORG_SLUG)
    name, starts, ends = semester(datetime.now(UTC).date())
    units, services, periods = [], {}, {}
    for i in range(N_UNITS):
        kind, service_names = UNIT_KINDS[i % len(UNIT_KINDS)]
        place = PLACES[(i // len(UNIT_KINDS)) % len(PLACES)]
        unit = Unit(
            organisation=org,
            name=f"{kind} {place}",
            slug=f"{ORG_SLUG}-{i + 1}",
            time_zone="Asia/Jakarta",
            working_weekdays="0,1,2,3,4,5" if kind == "UPT Samsat" else "0,1,2,3,4",
        )
        unit.save()  # computes the materialised path
        units.append(unit)
        services[unit.pk] = Service.objects.bulk_create(
            Service(unit=unit, name=s, code=f"svc-{k}") for k, s in enumerate(service_names)
        )
        periods[unit.pk] = SurveyPeriod.objects.create(
            unit=unit,
            name=name,
            starts_on=starts,
            ends_on=ends,
            population=rng.randint(5_000, 60_000),
        )
    return units, services, periods


def load_responses(args, rng, units, services, periods) -> float:
    """Insert N responses in batches; return the seconds taken."""
    from django.db import transaction

    from tanggap.surveys.models import SurveyResponse

    for name in ("created_at", "updated_at"):
        field = SurveyResponse._meta.get_field(name)
        field.auto_now = field.auto_now_add = False

    now = datetime.now(UTC)
    start = datetime.combine(periods[units[0].pk].starts_on, dtime(0), tzinfo=UTC)
    span = (now - start).total_seconds()
    # Units differ in traffic (about 12k-28k responses each) and in quality, services too.
    traffic = [rng.uniform(0.6, 1.4) for _ in units]
    unit_shift = {u.pk: rng.gauss(0, 0.15) for u in units}
    service_shift = {s.pk: rng.gauss(0, 0.10) for ss in services.values() for s in ss}
    element_items = list(ELEMENT_MEANS.items())
    # Source digests: a few per kiosk (counter device), many for phones.
    kiosk_sources = {u.pk: [f"{rng.getrandbits(256):064x}" for _ in range(3)] for u in units}
    phone_sources = [f"{rng.getrandbits(256):064x}" for _ in range(20_000)]
    gauss, random_, choice = rng.gauss, rng.random, rng.choice
    total, started = 0, time.monotonic()
    while total < args.load:
        n = min(args.batch, args.load - total)
        rows = []
        for _ in range(n):
            unit = rng.choices(units, weights=traffic)[0]
            service = choice(services[unit.pk])
            shift = unit_shift[unit.pk] + service_shift[service.pk]
            flagged = random_() < FLAGGED
            if flagged and random_() < 0.5:
                answers = dict.fromkeys(ELEMENT_MEANS, 4)  # straight-lining from one device
            else:
                answers = {
                    key: None
                    if random_() < UNANSWERED[key]
                    else max(1, min(4, round(gauss(mean + shift, 0.65))))
                    for key, mean in element_items
                }
                if all(v is None for v in answers.values()):
                    answers["waktu"] = 3  # the product refuses an empty questionnaire
            channel = weighted(rng, CHANNELS)
            at = start + timedelta(seconds=span * random_())
            at = at.replace(hour=rng.randint(1, 9))  # 08:00-16:59 WIB
            at = min(at, now)
            source = (
                choice(kiosk_sources[unit.pk])
                if channel == "kiosk"
                else choice(phone_sources)
                if channel == "online"
                else ""
            )
            rows.append(
                SurveyResponse(
                    period=periods[unit.pk],
                    unit_id=unit.pk,
                    service_id=service.pk,
                    channel=channel,
                    answers=answers,
                    comment=choice(COMMENTS) if random_() < 0.12 else "",
                    gender=choice("LP"),
                    age=rng.randint(17, 75),
                    education=weighted(
                        rng, [("SD", 10), ("SMP", 15), ("SMA", 40), ("D3", 10), ("S1", 22)]
                    ),
                    occupation=weighted(
                        rng, [("PNS", 10), ("SWASTA", 30), ("WIRAUSAHA", 30), ("LAINNYA", 30)]
                    ),
                    served_at=at - timedelta(minutes=rng.randint(1, 90)),
                    client_key=uuid.UUID(int=rng.getrandbits(128), version=4)
                    if channel in ("kiosk", "online")
                    else None,
                    source_digest=source,
                    is_flagged=flagged,
                    flag_reason=choice(FLAG_REASONS) if flagged else "",
                    created_at=at,
                    updated_at=at,
                )
            )
        with transaction.atomic():
            SurveyResponse.objects.bulk_create(rows, batch_size=args.batch)
        total += n
        if total % 100_000 < n or total == args.load:
            rate = total / (time.monotonic() - started)
            print(f"  {total:>9,} responses  {rate:,.0f}/s", flush=True)
    return time.monotonic() - started


def load(args) -> dict:
    """Refuse loaded data, else build the units and load the responses; return load facts."""
    import random

    from django.db import connection

    from tanggap.accounts.models import Organisation

    if Organisation.objects.filter(slug=ORG_SLUG).exists():
        sys.exit("This database already holds SKM benchmark data: pass --reset to recreate it.")
    with connection.cursor() as cur:
        # Only this session: a crash mid-load loses the last batches, never consistency.
        cur.execute("SET synchronous_commit TO off")
    rng = random.Random(args.seed)  # noqa: S311 - benchmark data, not security
    started = time.monotonic()
    units, services, periods = build_units(rng)
    n_services = sum(map(len, services.values()))
    print(f"{len(units)} units, {n_services} services, {len(periods)} periods", flush=True)
    load_seconds = load_responses(args, rng, units, services, periods)
    t0 = time.monotonic()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE surveys_surveyresponse")
    vacuum_seconds = time.monotonic() - t0
    total = time.monotonic() - started
    print(
        f"loaded {args.load:,} responses in {total:,.0f} s (insert {load_seconds:,.0f} s, "
        f"{args.load / max(load_seconds, 1e-9):,.0f}/s; VACUUM ANALYZE {vacuum_seconds:,.0f} s)",
        flush=True,
    )
    return {
        "responses": args.load,
        "seed": args.seed,
        "total_s": round(total, 1),
        "insert_s": round(load_seconds, 1),
        "vacuum_analyze_s": round(vacuum_seconds, 1),
        "rows_per_s": round(args.load / max(load_seconds, 1e-9)),
    }


# --- the paths measured -----------------------------------------------------------------------

FLOOR_SQL = (
    "SELECT "  # noqa: S608 - fixed element keys
    + ", ".join(f"avg((answers->>'{k}')::int)" for k in ELEMENT_MEANS)
    + " FROM surveys_surveyresponse WHERE period_id = ANY(%s) AND NOT is_flagged"
)
ONE_ELEMENT_SQL = (
    "SELECT avg((answers->>'waktu')::int) FROM surveys_surveyresponse "
    "WHERE period_id = ANY(%s) AND NOT is_flagged"
)


def floor(period_ids, sql=FLOOR_SQL):
    """Run the floor statement: one aggregate over the same rows; return its row."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, [list(period_ids)])
        return cur.fetchone()


def product_ikm(period_ids, split=None):
    """Return the IKM the product's way: the real ``index.compute`` over every answers dict."""
    from tanggap.surveys.index import compute
    from tanggap.surveys.models import SurveyResponse

    t0 = time.perf_counter()
    answers = list(
        SurveyResponse.objects.filter(period_id__in=period_ids, is_flagged=False).values_list(
            "answers", flat=True
        )
    )
    t1 = time.perf_counter()
    result = compute(answers, allow_missing=True)
    if split is not None:
        split.append((t1 - t0, time.perf_counter() - t1))
    return result


def period_summary_before(period):
    """Return ``period_summary`` as it was before commit 52ad552 (verbatim), for comparison."""
    from tanggap.surveys.index import MissingElements, compute
    from tanggap.surveys.sampling import progress
    from tanggap.surveys.selectors import PeriodSummary

    answers = list(period.responses.filter(is_flagged=False).values_list("answers", flat=True))
    flagged = period.responses.filter(is_flagged=True).count()
    try:
        result = compute(answers, allow_missing=True) if answers else None
    except MissingElements:
        result = None
    target = period.target
    return PeriodSummary(
        period=period,
        result=result,
        progress=progress(len(answers), target) if target else None,
        flagged=flagged,
    )


def product_ikm_now(period_ids):
    """Return the IKM of the periods the way the product does now: ``selectors.tallies``."""
    from tanggap.surveys.index import from_tallies
    from tanggap.surveys.models import SurveyResponse
    from tanggap.surveys.selectors import tallies

    responses = SurveyResponse.objects.filter(period_id__in=period_ids, is_flagged=False)
    return from_tallies(*tallies(responses), allow_missing=True)


class AnswerValue(Func):
    """One element's answer as an integer; SQL NULL when unanswered (JSON null or no key).

    SQL NULL is what SUM and COUNT skip: the "missing, never zero" rule of index._tally.
    PostgreSQL: ``(answers ->> 'key')::integer``, since ->> gives NULL for a JSON null.
    SQLite: Django's KT gives the text 'null' for a JSON null, and CAST('null' AS integer)
    is 0 there, so that backend alone wraps it in NULLIF (on PostgreSQL a NULLIF does nothing
    and was measurably slower: bench/README.md section 4).
    """

    output_field = IntegerField()

    def __init__(self, key: str):
        super().__init__(Cast(KT(f"answers__{key}"), IntegerField()))

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_sqlite(self, compiler, connection, **extra_context):
        text_sql, params = compiler.compile(self.source_expressions[0].source_expressions[0])
        return f"CAST(NULLIF({text_sql}, 'null') AS integer)", params


def _answer_aggregates(only_unflagged_filter: bool) -> dict:
    """Return the aggregate expressions: per element sum and count, respondents, rows."""
    from django.db.models import Count, Q, Sum
    from django.db.models.functions import Coalesce

    from tanggap.surveys.elements import ELEMENT_KEYS

    values = {key: AnswerValue(key) for key in ELEMENT_KEYS}
    f = {"filter": Q(is_flagged=False)} if only_unflagged_filter else {}
    aggs = {}
    for key, value in values.items():
        aggs[f"sum_{key}"] = Sum(value, **f)
        aggs[f"n_{key}"] = Count(value, **f)
    # A respondent answered at least one element (index._tally); COALESCE is NULL only then.
    aggs["respondents"] = Count(Coalesce(*values.values()), **f)
    aggs["rows"] = Count("pk", **f)
    if only_unflagged_filter:
        aggs["flagged"] = Count("pk", filter=Q(is_flagged=True))
    return aggs


def _result_from(row, *, allow_missing=True):
    """Return the exact IKM from one aggregate row (sums and counts are exact integers)."""
    from tanggap.surveys.elements import ELEMENT_KEYS
    from tanggap.surveys.index import ikm

    nrrs = {
        key: Fraction(row[f"sum_{key}"], row[f"n_{key}"]) if row[f"n_{key}"] else None
        for key in ELEMENT_KEYS
    }
    return ikm(nrrs, allow_missing=allow_missing, respondents=row["respondents"])


def ikm_by_sql(period_ids):
    """Return the IKM of the unflagged responses of *period_ids* from one SQL aggregate."""
    from tanggap.surveys.models import SurveyResponse

    row = SurveyResponse.objects.filter(period_id__in=period_ids, is_flagged=False).aggregate(
        **_answer_aggregates(False)
    )
    return _result_from(row)


RAW_SQL = (
    "SELECT "  # noqa: S608 - fixed element keys
    + ", ".join(f"sum(a.{k}), count(a.{k})" for k in ELEMENT_MEANS)
    + f", count(coalesce({', '.join(f'a.{k}' for k in ELEMENT_MEANS)}))"
    + " FROM surveys_surveyresponse r CROSS JOIN LATERAL jsonb_to_record(r.answers) AS a("
    + ", ".join(f"{k} int" for k in ELEMENT_MEANS)
    + ") WHERE r.period_id = ANY(%s) AND NOT r.is_flagged"
)


def ikm_by_raw_sql(period_ids):
    """Return the same IKM from PostgreSQL-only SQL that reads each answers object once."""
    from django.db import connection

    from tanggap.surveys.elements import ELEMENT_KEYS

    with connection.cursor() as cur:
        cur.execute(RAW_SQL, [list(period_ids)])
        values = cur.fetchone()
    row = {"respondents": values[-1]}
    for i, key in enumerate(ELEMENT_KEYS):
        row[f"sum_{key}"], row[f"n_{key}"] = values[2 * i], values[2 * i + 1]
    return _result_from(row)


def summary_by_sql(period):
    """Return what ``period_summary`` returns, from one aggregate (the recommended selector)."""
    from tanggap.surveys.index import MissingElements
    from tanggap.surveys.sampling import progress
    from tanggap.surveys.selectors import PeriodSummary

    row = period.responses.aggregate(**_answer_aggregates(True))
    return _summary_from(period, row, progress, PeriodSummary, MissingElements)


def summaries_by_sql(periods):
    """Return the summaries of many periods from one GROUP BY period query (the list page)."""
    from tanggap.surveys.index import MissingElements
    from tanggap.surveys.models import SurveyResponse
    from tanggap.surveys.sampling import progress
    from tanggap.surveys.selectors import PeriodSummary

    rows = {
        r["period_id"]: r
        for r in SurveyResponse.objects.filter(period__in=periods)
        .values("period_id")
        .annotate(**_answer_aggregates(True))
        .order_by()
    }
    empty = {"rows": 0, "flagged": 0}
    return [
        _summary_from(p, rows.get(p.pk, empty), progress, PeriodSummary, MissingElements)
        for p in periods
    ]


def _summary_from(period, row, progress, PeriodSummary, MissingElements):  # noqa: N803
    """Build a PeriodSummary from an aggregate row, as ``period_summary`` does from a list."""
    try:
        result = _result_from(row) if row["rows"] else None
    except MissingElements:
        result = None
    target = period.target
    return PeriodSummary(
        period=period,
        result=result,
        progress=progress(row["rows"], target) if target else None,
        flagged=row["flagged"],
    )


# --- measuring --------------------------------------------------------------------------------


def time_calls(fn, runs: int, warmup: int, max_seconds: float) -> dict:
    """Call *fn* warmup + runs times (bounded by max_seconds); return p50/p95 in ms."""
    for _ in range(warmup):
        fn()
    samples, stop_at = [], time.monotonic() + max_seconds
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
        if time.monotonic() > stop_at:
            break
    samples.sort()
    q = statistics.quantiles(samples, n=100, method="inclusive") if len(samples) > 1 else None
    return {
        "n": len(samples),
        "p50_ms": q[49] if q else samples[0],
        "p95_ms": q[94] if q else samples[0],
    }


def same_result(a, b) -> None:
    """Assert two IndexResults agree exactly (Fractions, respondents, missing elements)."""
    assert a.exact == b.exact, (a.exact, b.exact)
    assert dict(a.nrr) == dict(b.nrr), (a.nrr, b.nrr)
    assert a.respondents == b.respondents, (a.respondents, b.respondents)
    assert a.missing_elements == b.missing_elements
    assert a.grade == b.grade


def same_summary(a, b) -> None:
    """Assert two PeriodSummaries agree (result, progress, flagged count)."""
    assert (a.result is None) == (b.result is None)
    if a.result is not None:
        same_result(a.result, b.result)
    assert a.progress == b.progress, (a.progress, b.progress)
    assert a.flagged == b.flagged, (a.flagged, b.flagged)


def plan_of(sql, params) -> str:
    """Return the plan's node types (EXPLAIN without ANALYZE), e.g. 'Aggregate > Seq Scan'."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cur.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    node, names = plan[0]["Plan"], []
    while node:
        workers = f" ({node['Workers Planned']} workers)" if "Workers Planned" in node else ""
        names.append(node["Node Type"] + workers)
        node = (node.get("Plans") or [None])[0]
    return " > ".join(names)


def db_facts() -> dict:
    """Return the database and response table sizes, and row counts."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT pg_size_pretty(pg_database_size(current_database())), "
            "pg_size_pretty(pg_total_relation_size('surveys_surveyresponse')), "
            "pg_size_pretty(pg_relation_size('surveys_surveyresponse')), "
            "count(*), count(*) FILTER (WHERE is_flagged) FROM surveys_surveyresponse"
        )
        db, total, heap, n, flagged = cur.fetchone()
        cur.execute("SHOW shared_buffers")
        shared_buffers = cur.fetchone()[0]
        cur.execute("SHOW max_parallel_workers_per_gather")
        parallel = cur.fetchone()[0]
        cur.execute("SELECT version()")
        version = cur.fetchone()[0].split(" on ")[0]
    return {
        "server": version,
        "shared_buffers": shared_buffers,
        "max_parallel_workers_per_gather": parallel,
        "database": db,
        "surveys_surveyresponse": f"{n:,} rows ({flagged:,} flagged), heap {heap}, "
        f"{total} with indexes and TOAST",
    }


def measure(args) -> dict:
    """Check the proposed paths against the product, then time every path; print a table."""
    from django.db import connection
    from django.db.models import Count

    from tanggap.surveys.elements import ELEMENT_KEYS
    from tanggap.surveys.models import SurveyPeriod
    from tanggap.surveys.selectors import period_summaries, period_summary

    periods = list(
        SurveyPeriod.objects.filter(unit__organisation__slug=ORG_SLUG)
        .select_related("unit", "service")
        .annotate(n=Count("responses"))
        .order_by("unit__path")
    )
    if not periods:
        sys.exit("No SKM benchmark data here: run with --load first.")
    ids = [p.pk for p in periods]
    busiest = max(periods, key=lambda p: p.n)
    facts = db_facts()
    for k, v in facts.items():
        print(f"{k:<32}{v}")
    print(
        f"{'scope':<32}{len(periods)} periods ({periods[0].name}), "
        f"{sum(p.n for p in periods):,} responses; one unit = {busiest.unit.name} "
        f"(period {busiest.pk}, {busiest.n:,} responses)",
        flush=True,
    )

    # Correctness first: every path must give exactly the figures of index.compute.
    t0 = time.perf_counter()
    product = product_ikm(ids)
    first_product_s = time.perf_counter() - t0
    same_result(product, product_ikm_now(ids))
    same_result(product, ikm_by_sql(ids))
    same_result(product, ikm_by_raw_sql(ids))
    floor_row = floor(ids)
    for key, avg in zip(ELEMENT_KEYS, floor_row, strict=True):
        assert abs(float(product.nrr[key]) - float(avg)) < 1e-9, (key, product.nrr[key], avg)
    before = [period_summary_before(p) for p in periods]
    for variant in (
        [period_summary(p) for p in periods],
        period_summaries(periods),
        [summary_by_sql(p) for p in periods],
        summaries_by_sql(periods),
    ):
        for a, b in zip(before, variant, strict=True):
            same_summary(a, b)
    print(
        f"\nIKM {product.rounded} ({product.grade}), exact {product.exact.numerator}/"
        f"{product.exact.denominator}, {product.respondents:,} respondents.\nEqual to "
        "index.compute over the rows (exact Fraction, 9 NRRs, respondents): selectors.tallies, "
        "ikm_by_sql, ikm_by_raw_sql; floor averages = NRRs to 1e-9.\nEqual to the old "
        f"period_summary on all {len(periods)} periods (result, progress, flagged): "
        "period_summary, period_summaries, summary_by_sql, summaries_by_sql.",
        flush=True,
    )
    print("NRR: " + ", ".join(f"{k} {float(v):.3f}" for k, v in product.nrr.items()))

    fast = {"runs": args.runs, "warmup": args.warmup, "max_seconds": args.max_seconds}
    slow = {"runs": args.slow_runs, "warmup": 1, "max_seconds": args.max_seconds}
    split: list[tuple[float, float]] = []
    one = [busiest.pk]
    semester_paths = [
        # (label, what, fn, budget); the first is the floor
        ("floor", "1 SQL: nine avg()", lambda: floor(ids), fast),
        ("floor-1", "1 SQL: avg() of waktu only", lambda: floor(ids, ONE_ELEMENT_SQL), fast),
        ("before", "index.compute(values_list(answers))", lambda: product_ikm(ids, split), slow),
        (
            "before list",
            "50 x period_summary (pre-52ad552)",
            lambda: list(map(period_summary_before, periods)),
            slow,
        ),
        ("now", "from_tallies(*tallies(qs))", lambda: product_ikm_now(ids), fast),
        ("now list", "period_summaries(periods)", lambda: period_summaries(periods), fast),
        ("alt", "ikm_by_sql: NULL-propagating cast", lambda: ikm_by_sql(ids), fast),
        ("alt raw", "jsonb_to_record (PostgreSQL only)", lambda: ikm_by_raw_sql(ids), fast),
        ("alt list", "summaries_by_sql: 1 GROUP BY", lambda: summaries_by_sql(periods), fast),
    ]
    unit_paths = [
        ("floor", "1 SQL: nine avg()", lambda: floor(one), fast),
        ("before", "period_summary (pre-52ad552)", lambda: period_summary_before(busiest), fast),
        ("now", "period_summary(period)", lambda: period_summary(busiest), fast),
        ("alt", "summary_by_sql(period)", lambda: summary_by_sql(busiest), fast),
    ]
    cases = [("semester", *c) for c in semester_paths] + [("one unit", *c) for c in unit_paths]
    header = f"\n{'scope':<10}{'path':<12}{'what':<38}{'n':>4}{'p50 ms':>11}{'p95 ms':>11}"
    print(header + f"{'x p50':>9}{'x p95':>9}", flush=True)
    rows, floors = [], {}
    for scope, label, what, fn, budget in cases:
        connection.queries_log.clear()
        r = {"scope": scope, "path": label, "what": what} | time_calls(fn, **budget)
        if label == "floor":
            floors[scope] = r
            r["ratio_p50"] = r["ratio_p95"] = 1.0
        else:
            base = floors[scope]
            r["ratio_p50"] = r["p50_ms"] / base["p50_ms"]
            r["ratio_p95"] = r["p95_ms"] / base["p95_ms"]
        rows.append(r)
        print(
            f"{scope:<10}{label:<12}{what:<38}{r['n']:>4}{r['p50_ms']:>11,.1f}"
            f"{r['p95_ms']:>11,.1f}{r['ratio_p50']:>9.1f}{r['ratio_p95']:>9.1f}",
            flush=True,
        )
    fetch = statistics.median(s[0] for s in split) * 1000
    tally = statistics.median(s[1] for s in split) * 1000
    print(
        f"\nbefore (semester) split, median of {len(split)}: fetch + JSON decode of the answers "
        f"{fetch:,.0f} ms, index.compute {tally:,.0f} ms; first (cold) call "
        f"{first_product_s * 1000:,.0f} ms; peak RSS {peak_rss_mb():,.0f} MB",
    )
    plans = {
        "floor (semester)": plan_of(FLOOR_SQL, [ids]),
        "floor (one unit)": plan_of(FLOOR_SQL, [one]),
    }
    for k, v in plans.items():
        print(f"plan {k:<18}{v}")
    return {
        "database": facts,
        "periods": len(periods),
        "responses": sum(p.n for p in periods),
        "one_unit": {"unit": busiest.unit.name, "period": busiest.pk, "responses": busiest.n},
        "ikm": {
            "rounded": str(product.rounded),
            "exact": f"{product.exact.numerator}/{product.exact.denominator}",
            "grade": product.grade,
            "respondents": product.respondents,
            "nrr": {k: str(v) for k, v in product.nrr.items()},
        },
        "floor_sql": FLOOR_SQL,
        "one_element_sql": ONE_ELEMENT_SQL,
        "raw_sql": RAW_SQL,
        "rows": rows,
        "product_split_ms": {"fetch": fetch, "compute": tally, "cold_first_call": first_product_s},
        "peak_rss_mb": peak_rss_mb(),
        "plans": plans,
    }


def peak_rss_mb() -> float:
    """Return this process's peak resident set size in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sqlite_check(n: int, seed: int) -> None:
    """Load *n* responses into a temporary SQLite database and assert the SQL paths are exact."""
    import argparse as _argparse
    import random
    import tempfile

    tmp_dir = tempfile.mkdtemp(prefix="skm-sqlite-")
    url = f"sqlite:///{tmp_dir}/skm.sqlite3"
    env = os.environ | {
        "DATABASE_URL": url,
        "SECRET_KEY": "x",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )
    django_setup(url)
    from tanggap.surveys.selectors import period_summaries, period_summary

    rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
    units, services, periods = build_units(rng)
    load_responses(_argparse.Namespace(load=n, batch=BATCH), rng, units, services, periods)
    periods = list(periods.values())
    ids = [p.pk for p in periods]
    product = product_ikm(ids)
    same_result(product, product_ikm_now(ids))
    same_result(product, ikm_by_sql(ids))
    before = [period_summary_before(p) for p in periods]
    for variant in (
        [period_summary(p) for p in periods],
        period_summaries(periods),
        [summary_by_sql(p) for p in periods],
        summaries_by_sql(periods),
    ):
        for a, b in zip(before, variant, strict=True):
            same_summary(a, b)
    shutil.rmtree(tmp_dir)
    print(
        f"SQLite (temporary file): IKM {product.rounded}, {product.respondents:,} respondents; "
        "tallies, period_summary, period_summaries, ikm_by_sql, summary_by_sql and "
        f"summaries_by_sql equal index.compute / the old period_summary on {len(periods)} periods"
    )


def main():
    """Prepare and load when asked, then measure; write bench/results/skm-<stamp>.json."""
    args = parse_args()
    if args.sqlite_check is not None:
        sqlite_check(args.sqlite_check, args.seed)
        return
    if args.reset and args.load is None:
        sys.exit("--reset drops the data: pass --load too")
    if args.load is not None:
        prepare_database(args.database_url, args.reset)
    django_setup(args.database_url)
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL.")
    out = {"when": datetime.now().strftime("%Y%m%d-%H%M%S"), "machine": {"cpus": os.cpu_count()}}
    if args.load is not None:
        out["load"] = load(args)
    if not args.no_measure:
        out |= measure(args)
    path = ROOT / "bench" / "results" / f"skm-{out['when']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2, default=str))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
