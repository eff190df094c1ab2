"""Officer inbox (case_list, first page) at 1M reports: p50/p95 per filter vs a one-unit query."""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

TRIGRAM_INDEXES = {
    "bench_case_title_trgm": "cases_case USING gin (UPPER(title::text) gin_trgm_ops)",
    "bench_report_desc_trgm": "intake_report USING gin (UPPER(description::text) gin_trgm_ops)",
}


def parse_args():
    """Read the command line."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tanggap_bench"),
    )
    p.add_argument("--runs", type=int, default=60, help="timed runs per filter")
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--max-seconds", type=float, default=45, help="time cap per filter")
    p.add_argument(
        "--try-trigram",
        action="store_true",
        help="also time the text search with temporary pg_trgm indexes and an IN subquery "
        "(created in the bench database only, dropped afterwards)",
    )
    p.add_argument(
        "--try-per-unit",
        action="store_true",
        help="also time the non-text filters as a UNION ALL of per-unit index scans",
    )
    p.add_argument("--skip-main", action="store_true", help="only run the --try-* proposals")
    return p.parse_args()


def django_setup(database_url: str) -> None:
    """Configure Django with the production settings on the benchmark database."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")
    import django

    django.setup()


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


def scenarios():
    """Return (officer, supervisor, list of (name, filters)) from the generated data."""
    from django.db.models import Count

    from tanggap.accounts.models import Category, Membership, Unit
    from tanggap.cases.models import Case

    # The officer whose unit (with its sub-units) holds the most cases: the busiest inbox.
    best = None
    for m in Membership.objects.filter(role="officer").select_related("unit", "user"):
        n = Case.objects.filter(unit__path__startswith=m.unit.path).count()
        if best is None or n > best[0]:
            best = (n, m)
    officer_cases, officer_m = best
    sup_m = (
        Membership.objects.filter(role="supervisor", unit__organisation=officer_m.unit.organisation)
        .select_related("unit", "user")
        .first()
    )
    sub_unit = (
        Unit.objects.filter(parent=officer_m.unit).annotate(n=Count("cases")).order_by("-n").first()
    )
    category = Category.objects.get(
        organisation=officer_m.unit.organisation, name="Jalan dan Jembatan"
    )
    code = Case.objects.filter(unit__path__startswith=officer_m.unit.path).values_list(
        "reference", flat=True
    )[1000]
    filters = [
        ("no filter (sort due)", {}),
        ("status=in_progress", {"status": "in_progress"}),
        ("status=resolved", {"status": "resolved"}),
        ("kind+channel", {"kind": "complaint", "channel": "whatsapp"}),
        ("category", {"category": category}),
        ("sub-unit", {"unit": sub_unit}),
        ("sort newest", {"sort": "newest"}),
        ("status+sort newest", {"status": "received", "sort": "newest"}),
        ("q=rusak (common)", {"q": "rusak"}),
        ("q=pungli (rare-ish)", {"q": "pungli"}),
        ("q=kebakaran (absent)", {"q": "kebakaran"}),
        ("tracking code", {"code": code}),
    ]
    info = {
        "officer": f"{officer_m.user.username} on {officer_m.unit.name} ({officer_m.unit.path}, "
        f"{Unit.objects.filter(path__startswith=officer_m.unit.path).count()} units, "
        f"{officer_cases:,} cases)",
        "supervisor": f"{sup_m.user.username} on {sup_m.unit.name} ({sup_m.unit.path}, "
        f"{Case.objects.filter(unit__path__startswith=sup_m.unit.path).count():,} cases)",
        "sub_unit": f"{sub_unit.name} ({sub_unit.path})",
    }
    return officer_m, sup_m, filters, info


def case_list_in_subquery(*, user, filters, limit=25):
    """case_list with the text search as `id IN (report subquery)` instead of EXISTS (proposal)."""
    from django.db.models import Q

    from tanggap.cases.filters import SORTS
    from tanggap.cases.selectors import cases_visible_to
    from tanggap.common.pagination import keyset_page
    from tanggap.intake.models import Report

    qs = cases_visible_to(user).select_related("unit", "category")
    for name in ("status", "kind", "channel", "category"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("unit"):
        qs = qs.filter(unit__path__startswith=filters["unit"].path)
    if text := (filters.get("q") or "").strip():
        ids = Report.objects.filter(
            Q(description__icontains=text) | Q(tracking_code__iexact=text)
        ).values("case_id")
        qs = qs.filter(Q(title__icontains=text) | Q(reference__iexact=text) | Q(pk__in=ids))
    field, descending = SORTS.get(filters.get("sort") or "due", SORTS["due"])
    return keyset_page(qs, field=field, descending=descending, limit=limit)


def case_list_per_unit(*, user, filters, limit=25):
    """case_list as one UNION ALL of per-unit LIMITed index scans, then one fetch (proposal)."""
    from tanggap.accounts.roles import Capability
    from tanggap.accounts.scoping import units_for
    from tanggap.cases.filters import SORTS
    from tanggap.cases.models import Case

    units = units_for(user, Capability.VIEW_CASES)
    if filters.get("unit"):
        units = units.filter(path__startswith=filters["unit"].path)
    unit_ids = list(units.values_list("id", flat=True))
    base = Case.objects.all()
    for name in ("status", "kind", "channel", "category"):
        if filters.get(name):
            base = base.filter(**{name: filters[name]})
    field, descending = SORTS.get(filters.get("sort") or "due", SORTS["due"])
    # ASC is NULLS LAST and DESC NULLS FIRST by default: both match the existing indexes
    # (received_at is NOT NULL, so DESC NULLS FIRST orders it as the product wants).
    order = (f"-{field}", "-id") if descending else (field, "id")
    parts = [
        base.filter(unit_id=u).order_by(*order).values_list("id", field)[: limit + 1]
        for u in unit_ids
    ]
    if not parts:
        return []
    if len(parts) == 1:
        ids = [pk for pk, _ in parts[0]][:limit]
    else:
        combined = parts[0].union(*parts[1:], all=True)
        ids = [pk for pk, _ in combined.order_by(*order)[:limit]]
    rows = Case.objects.filter(pk__in=ids).select_related("unit", "category").in_bulk()
    return [rows[pk] for pk in ids]


def explain(fn) -> dict:
    """Run *fn* once, EXPLAIN ANALYZE its last (main) query; return top node, time, indexes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    sql = ctx.captured_queries[-1]["sql"]
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        plan = cur.fetchone()[0]
        plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        text = "\n".join(row[0] for row in cur.fetchall())
    indexes, scans = set(), []

    def walk(node):
        if "Index Name" in node:
            indexes.add(node["Index Name"])
        if node["Node Type"] in ("Seq Scan", "Parallel Seq Scan"):
            scans.append(node.get("Relation Name"))
        for child in node.get("Plans", []):
            walk(child)

    walk(plan["Plan"])
    return {
        "top_node": plan["Plan"]["Node Type"],
        "execution_ms": plan["Execution Time"],
        "indexes": sorted(indexes),
        "seq_scans": scans,
        "text": text,
    }


def measure(label_user, user, filters, fn, args, baseline_p50, baseline_p95):
    """Time every filter for one user; print a table row each; return the rows."""
    rows = []
    for name, f in filters:
        r = time_calls(
            lambda f=f: fn(user=user, filters=f, limit=25),
            args.runs,
            args.warmup,
            args.max_seconds,
        )
        r |= {
            "user": label_user,
            "filter": name,
            "ratio_p50": r["p50_ms"] / baseline_p50,
            "ratio_p95": r["p95_ms"] / baseline_p95,
        }
        rows.append(r)
        print(
            f"{label_user:<11}{name:<24}{r['n']:>4}{r['p50_ms']:>10.2f}{r['p95_ms']:>10.2f}"
            f"{r['ratio_p50']:>9.1f}{r['ratio_p95']:>9.1f}",
            flush=True,
        )
    return rows


def db_facts() -> dict:
    """Return row counts and sizes of the database and the big tables."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        facts = {"database": cur.fetchone()[0]}
        for table in ("cases_case", "cases_caseevent", "intake_report", "intake_reporter"):
            cur.execute(
                f"SELECT count(*), pg_size_pretty(pg_total_relation_size('{table}')) FROM {table}"  # noqa: S608 - fixed names
            )
            n, size = cur.fetchone()
            facts[table] = f"{n:,} rows, {size} with indexes"
    return facts


def main():
    """Measure the baseline and every filter for an officer and a supervisor."""
    args = parse_args()
    django_setup(args.database_url)
    from django.db import connection

    from tanggap.cases.models import Case
    from tanggap.cases.selectors import case_list

    facts = db_facts()
    for k, v in facts.items():
        print(f"{k:<18}{v}")
    officer_m, sup_m, filters, info = scenarios()
    for k, v in info.items():
        print(f"{k:<18}{v}")
    unit_id = officer_m.unit_id
    base = time_calls(
        lambda: list(Case.objects.filter(unit_id=unit_id).order_by("due_at", "id")[:25]),
        args.runs,
        args.warmup,
        args.max_seconds,
    )
    print(
        f"\nbaseline: Case.objects.filter(unit_id={unit_id}).order_by('due_at','id')[:25]"
        f"  p50 {base['p50_ms']:.2f} ms  p95 {base['p95_ms']:.2f} ms  (n={base['n']})\n"
    )
    header = (
        f"{'user':<11}{'filter':<24}{'n':>4}{'p50 ms':>10}{'p95 ms':>10}{'x p50':>9}{'x p95':>9}"
    )
    print(header)
    baseline = (base["p50_ms"], base["p95_ms"])
    rows = []
    for label, m in (("officer", officer_m), ("supervisor", sup_m)):
        if args.skip_main:
            break
        rows += measure(label, m.user, filters, case_list, args, base["p50_ms"], base["p95_ms"])

    per_unit = []
    if args.try_per_unit:
        print("\nproposal: UNION ALL of per-unit LIMITed index scans (no schema change)")
        plain = [(n, f) for n, f in filters if "q" not in f]
        for label, m in (("officer", officer_m), ("supervisor", sup_m)):
            per_unit += measure(
                f"{label[:3]}/union", m.user, plain, case_list_per_unit, args, *baseline
            )
        e = explain(lambda: case_list_per_unit(user=sup_m.user, filters={}, limit=25))
        # The last captured query is the final fetch; show the UNION plan instead.
        print(f"supervisor, no filter: fetch query {e['execution_ms']:.1f} ms")

    explained = []
    by_user = {m.user.username: m.user for m in (officer_m, sup_m)}
    print("\nEXPLAIN ANALYZE summaries (top node, execution time, indexes, seq scans):")
    for r in rows:
        user = officer_m.user if r["user"] == "officer" else sup_m.user
        f = dict(filters)[r["filter"]]
        e = explain(lambda user=user, f=f: case_list(user=user, filters=f, limit=25))
        explained.append({"user": r["user"], "filter": r["filter"]} | e)
        print(
            f"  {r['user']:<11}{r['filter']:<24}{e['top_node']:<14}{e['execution_ms']:>9.1f} ms"
            f"  idx={','.join(e['indexes']) or '-'}  seq={','.join(e['seq_scans']) or '-'}"
        )
    if explained:
        slowest = max(explained, key=lambda e: e["execution_ms"])
        print(f"\nslowest: {slowest['user']} / {slowest['filter']}\n{slowest['text']}\n")

    trigram = []
    if args.try_trigram:
        print("proposal: pg_trgm GIN indexes + `id IN (subquery)` (temporary, bench db only)")
        with connection.cursor() as cur:
            cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for name, target in TRIGRAM_INDEXES.items():
                t0 = time.monotonic()
                cur.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
                print(f"  built {name} in {time.monotonic() - t0:.0f} s")
            cur.execute("ANALYZE cases_case")
            cur.execute("ANALYZE intake_report")
        try:
            text_filters = [(n, f) for n, f in filters if "q" in f]
            print(header)
            for label, m in (("officer", officer_m), ("supervisor", sup_m)):
                for fn_name, fn in (("EXISTS", case_list), ("IN", case_list_in_subquery)):
                    got = measure(
                        f"{label[:3]}/{fn_name}",
                        m.user,
                        text_filters,
                        fn,
                        args,
                        base["p50_ms"],
                        base["p95_ms"],
                    )
                    trigram += got
            e = explain(
                lambda: case_list_in_subquery(user=sup_m.user, filters={"q": "kebakaran"}, limit=25)
            )
            print(f"\nIN + trigram, supervisor, q=kebakaran:\n{e['text']}\n")
        finally:
            with connection.cursor() as cur:
                for name in TRIGRAM_INDEXES:
                    cur.execute(f"DROP INDEX IF EXISTS {name}")

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = ROOT / "bench" / "results" / f"inbox-{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "when": stamp,
                "machine": {"cpus": os.cpu_count()},
                "database": facts,
                "who": info,
                "users": sorted(by_user),
                "baseline": base,
                "rows": rows,
                "explain": explained,
                "trigram": trigram,
                "per_unit": per_unit,
            },
            indent=2,
            default=str,
        )
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
