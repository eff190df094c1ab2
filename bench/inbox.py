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
    return p.parse_args()


def django_setup(database_url: str) -> None:
    """Configure Django with the production settings on the benchmark database."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
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
        ("due=overdue", {"due": "overdue"}),
        ("due=soon", {"due": "soon"}),
        ("assigned to me", {"mine": True}),
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
    rows = []
    for label, m in (("officer", officer_m), ("supervisor", sup_m)):
        rows += measure(label, m.user, filters, case_list, args, base["p50_ms"], base["p95_ms"])

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
            },
            indent=2,
            default=str,
        )
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
