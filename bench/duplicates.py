"""Duplicate lookup at 1M reports: similar_cases p50/p95 vs one indexed band-key lookup.

Works on a throw-away copy of the 1M database (the keys table is new data):

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE tanggap_bench_dup TEMPLATE tanggap_bench"
    .venv/bin/python bench/duplicates.py --setup      # migrate cases, back-fill keys, VACUUM
    .venv/bin/python bench/duplicates.py              # measure (again)
    psql -h 127.0.0.1 -U postgres -c "DROP DATABASE tanggap_bench_dup"
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tanggap_bench_dup"


def parse_args():
    """Read the command line."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    p.add_argument("--setup", action="store_true", help="migrate cases and back-fill the keys")
    p.add_argument("--batch", type=int, default=2000, help="cases per back-fill transaction")
    p.add_argument("--samples", type=int, default=200, help="sample reports to look up")
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args()


def django_setup(database_url: str) -> None:
    """Configure Django with the production settings on the benchmark database."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")
    import django

    django.setup()


def setup(args) -> dict:
    """Migrate the cases app (the keys table) and back-fill every case's keys; return timings."""
    env = os.environ | {"DATABASE_URL": args.database_url}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "cases", "--no-input"],
        check=True,
        env=env,
    )
    from django.db import connection

    from tanggap.cases.duplicates import keys_backfill

    started = time.monotonic()

    def progress(done):
        if done % 50_000 < args.batch:
            rate = done / (time.monotonic() - started)
            print(f"  {done:>9,} cases  {rate:,.0f}/s", flush=True)

    cases = keys_backfill(batch=args.batch, progress=progress)
    backfill = time.monotonic() - started
    started = time.monotonic()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE cases_casebandkey")
    return {"cases": cases, "backfill_s": backfill, "vacuum_s": time.monotonic() - started}


def quantiles(samples: list[float]) -> dict:
    """Return n, p50, p95 and max of *samples* (milliseconds)."""
    q = statistics.quantiles(sorted(samples), n=100, method="inclusive")
    return {"n": len(samples), "p50_ms": q[49], "p95_ms": q[94], "max_ms": max(samples)}


def timed(fn):
    """Return (result, milliseconds) of one call of *fn*."""
    t0 = time.perf_counter()
    result = fn()
    return result, (time.perf_counter() - t0) * 1000


def floor_lookup(key: int) -> list:
    """One indexed equality lookup on the band table: the floor of the lookup."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT case_id FROM cases_casebandkey WHERE key = %s ORDER BY case_id DESC LIMIT 100",
            [key],
        )
        return cur.fetchall()


def sample_cases(args):
    """Return *samples* random cases (seeded), with their unit and the org's supervisor."""
    from tanggap.accounts.models import Membership
    from tanggap.cases.models import Case

    rng = random.Random(args.seed)
    top = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
    ids = rng.sample(range(1, top + 1), args.samples + args.warmup)
    by_pk = Case.objects.select_related("unit").in_bulk(ids)
    cases = [by_pk[pk] for pk in ids if pk in by_pk]
    supervisors = {
        m.unit.organisation_id: m.user
        for m in Membership.objects.filter(role="supervisor").select_related("unit", "user")
    }
    return cases, supervisors, rng


def explain_band_hits(keys: list[int]) -> str:
    """Return the EXPLAIN ANALYZE of the band lookup for *keys*."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tanggap.cases.duplicates import band_hits

    with CaptureQueriesContext(connection) as ctx:
        band_hits(keys)
    sql = ctx.captured_queries[-1]["sql"]
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cur.fetchall())


def measure(args) -> dict:
    """Time similar_cases on sampled reports three ways, and the floor, in one run."""
    from django.db import connection, transaction

    from tanggap.cases.duplicates import band_hits, case_keys_add, similar_cases
    from tanggap.insights import similarity
    from tanggap.insights.duplicate_evaluation import retype

    cases, supervisors, rng = sample_cases(args)
    warm, cases = cases[: args.warmup], cases[args.warmup :]
    for case in warm:
        similar_cases(case=case)
        floor_lookup(similarity.text_keys(case.search_text, namespace=case.organisation_id)[0])
    times = {"floor": [], "case": [], "case_user": [], "text": [], "keys": [], "insert": []}
    found = hits_sizes = results = 0
    for case in cases:
        keys = similarity.text_keys(case.search_text, namespace=case.organisation_id)
        times["floor"].append(timed(lambda k=keys[0]: floor_lookup(k))[1])
        found_case, ms = timed(lambda c=case: similar_cases(case=c))
        times["case"].append(ms)
        results += len(found_case)
        user = supervisors[case.organisation_id]
        times["case_user"].append(timed(lambda c=case, u=user: similar_cases(case=c, user=u))[1])
        # The same report typed again by an officer (a phone call), before its case exists.
        typed = retype(case.search_text, rng)
        matches, ms = timed(lambda c=case, t=typed: similar_cases(text=t, unit=c.unit))
        times["text"].append(ms)
        # Found: the case itself, or five cases at least as like the typed text as it is.
        own = similarity.jaccard(similarity.shingles(typed), similarity.shingles(case.search_text))
        found += any(m.case.pk == case.pk for m in matches) or (
            len(matches) == 5 and matches[-1].similarity >= own
        )
        hits_sizes += len(band_hits(keys))
        # The write a new report adds: its keys computed, then inserted (rolled back).
        new_keys, ms = timed(lambda t=typed, c=case: similarity.text_keys(t, namespace=1))
        times["keys"].append(ms)
        with transaction.atomic():
            times["insert"].append(timed(lambda c=case, t=typed: case_keys_add(case=c, text=t))[1])
            transaction.set_rollback(True)
    floor = quantiles(times["floor"])
    out = {"floor": floor}
    for name in ("case", "case_user", "text", "keys", "insert"):
        q = quantiles(times[name])
        q["x_p50"], q["x_p95"] = q["p50_ms"] / floor["p50_ms"], q["p95_ms"] / floor["p95_ms"]
        out[name] = q
    n = len(cases)
    out["facts"] = {
        "samples": n,
        "typed_copy_found_in_top5": found / n,
        "mean_candidates_by_bands": hits_sizes / n,
        "mean_results_case_page": results / n,
    }
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*), pg_size_pretty(pg_relation_size('cases_casebandkey')), "
            "pg_size_pretty(pg_indexes_size('cases_casebandkey')), "
            "pg_size_pretty(pg_database_size(current_database())) FROM cases_casebandkey"
        )
        rows, heap, index, database = cur.fetchone()
        cur.execute(
            "SELECT max(n), avg(n) "
            "FROM (SELECT count(*) AS n FROM cases_casebandkey GROUP BY key) AS buckets"
        )
        biggest, mean = cur.fetchone()
    out["table"] = {
        "rows": rows,
        "heap": heap,
        "index": index,
        "database": database,
        "largest_bucket": biggest,
        "mean_bucket": float(mean),
    }
    out["explain"] = explain_band_hits(
        similarity.text_keys(cases[0].search_text, namespace=cases[0].organisation_id)
    )
    return out


def report(out: dict) -> None:
    """Print the figures."""
    floor = out["floor"]
    print(
        f"\nfloor (one indexed key lookup, LIMIT 100): p50 {floor['p50_ms']:.2f} ms "
        f"p95 {floor['p95_ms']:.2f} ms (n={floor['n']})"
    )
    print(f"{'path':<34}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'x p50':>8}{'x p95':>8}")
    names = {
        "case": "similar_cases(case=) (case page)",
        "case_user": "  ... scoped to a supervisor",
        "text": "similar_cases(text=, unit=) intake",
        "keys": "text_keys (CPU, per new report)",
        "insert": "case_keys_add (per new report)",
    }
    for key, label in names.items():
        r = out[key]
        print(
            f"{label:<34}{r['p50_ms']:>9.2f}{r['p95_ms']:>9.2f}{r['max_ms']:>9.2f}"
            f"{r['x_p50']:>8.1f}{r['x_p95']:>8.1f}"
        )
    print(json.dumps(out["facts"], indent=1))
    print(json.dumps(out["table"], indent=1))
    print(out["explain"])


def main():
    """Set up if asked, then measure and write bench/results/duplicates-<stamp>.json."""
    args = parse_args()
    django_setup(args.database_url)
    out = {"when": datetime.now().strftime("%Y%m%d-%H%M%S"), "cpus": os.cpu_count()}
    if args.setup:
        out["setup"] = setup(args)
        print(out["setup"])
    out |= measure(args)
    report(out)
    path = ROOT / "bench" / "results" / f"duplicates-{out['when']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2, default=str))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
