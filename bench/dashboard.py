"""Dashboard and public statistics at 1M reports: p50/p95 per page vs a one-query floor page.

Every page goes through the whole stack in this process (middleware, view, templates) with
Django's test client on the production settings; the floor is /healthz (one SELECT 1) through
the same client, so the ratio shows what the pages add on top of a request. The tracking form
(/lacak/, a small rendered page) is timed too, as a second reference.
"""

import argparse
import json
import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from inbox import django_setup, time_calls  # noqa: E402


def parse_args():
    """Read the command line."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tanggap_bench"),
    )
    p.add_argument("--runs", type=int, default=60, help="timed runs per page")
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--max-seconds", type=float, default=45, help="time cap per page")
    p.add_argument(
        "--rebuild",
        action="store_true",
        help="recompute every rollup first (done anyway when there are none)",
    )
    return p.parse_args()


def rollups(rebuild: bool) -> dict:
    """Rebuild the rollups when asked or when there are none; time it and one refresh."""
    from tanggap.analytics.models import DailyRollup
    from tanggap.analytics.services import rollup_rebuild, rollup_refresh

    facts = {}
    if rebuild or not DailyRollup.objects.exists():
        t0 = time.monotonic()
        facts["rebuild"] = rollup_rebuild()
        facts["rebuild_seconds"] = round(time.monotonic() - t0, 1)
    t0 = time.monotonic()
    facts["refresh"] = rollup_refresh()
    facts["refresh_seconds"] = round(time.monotonic() - t0, 2)
    facts["rows"] = DailyRollup.objects.count()
    return facts


def scenario():
    """Return the supervisor on the busiest root unit, that unit, a month and its year."""
    from django.db.models import Count

    from tanggap.accounts.models import Membership
    from tanggap.analytics import periods
    from tanggap.cases.models import Case

    best = None
    for m in Membership.objects.filter(role="supervisor").select_related("unit", "user"):
        n = Case.objects.filter(unit__path__startswith=m.unit.path).aggregate(n=Count("id"))["n"]
        if best is None or n > best[0]:
            best = (n, m)
    cases, membership = best
    latest = Case.objects.order_by("-received_at").values_list("received_at", flat=True).first()
    local = latest.astimezone(membership.unit.tz).date()
    month = periods.previous(periods.containing(periods.MONTH, local))
    year = periods.containing(periods.YEAR, month.start)
    info = {
        "supervisor": membership.user.username,
        "unit": f"{membership.unit.name} (id {membership.unit.pk}, {cases:,} cases in its tree)",
        "month": month.key,
        "year": year.key,
        "today": str(local + timedelta(days=1)),
    }
    return membership, month, year, info


def db_facts() -> dict:
    """Return row counts of the big tables (and sizes on PostgreSQL)."""
    from django.db import connection

    from tanggap.cases.models import Case, CaseEvent

    facts = {"vendor": connection.vendor, "cases": Case.objects.count()}
    facts["events"] = CaseEvent.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            facts["database"] = cur.fetchone()[0]
    return facts


def main():
    """Measure the floor and each page for the unit head and a visitor."""
    args = parse_args()
    django_setup(args.database_url)
    import time_machine
    from django.test import Client
    from django.urls import reverse

    facts = db_facts() | {"rollups": rollups(args.rebuild)}
    membership, month, year, info = scenario()
    for k, v in (facts | info).items():
        print(f"{k:<16}{v}")
    unit_id = membership.unit_id
    # The period choice offers recent periods: the clock stands the day after the last case.
    with time_machine.travel(datetime.fromisoformat(info["today"] + "T12:00:00+07:00")):
        staff, visitor = Client(), Client()
        staff.force_login(membership.user)
        pages = [
            ("floor: /healthz", visitor, reverse("healthz"), {}),
            ("form page: /lacak/", visitor, reverse("intake:track"), {}),
            ("dashboard, month", staff, reverse("analytics:dashboard", args=[unit_id]), month),
            ("dashboard, year", staff, reverse("analytics:dashboard", args=[unit_id]), year),
            ("public stats, month", visitor, reverse("stats:unit", args=[unit_id]), month),
            ("public stats, year", visitor, reverse("stats:unit", args=[unit_id]), year),
            (
                "open data JSON, year",
                visitor,
                reverse("stats:open_data_json", args=[unit_id]),
                year,
            ),
        ]
        rows, floor = [], None
        print(f"\n{'page':<24}{'n':>4}{'p50 ms':>10}{'p95 ms':>10}{'x p50':>8}{'x p95':>8}")
        for name, client, url, period in pages:
            query = {"period": period.key} if period else {}

            def get(client=client, url=url, query=query):
                response = client.get(url, query, secure=True)
                assert response.status_code == 200, (url, response.status_code)

            r = time_calls(get, args.runs, args.warmup, args.max_seconds)
            floor = floor or r
            r |= {
                "page": name,
                "url": url,
                "period": query.get("period", ""),
                "ratio_p50": r["p50_ms"] / floor["p50_ms"],
                "ratio_p95": r["p95_ms"] / floor["p95_ms"],
            }
            rows.append(r)
            print(
                f"{name:<24}{r['n']:>4}{r['p50_ms']:>10.2f}{r['p95_ms']:>10.2f}"
                f"{r['ratio_p50']:>8.1f}{r['ratio_p95']:>8.1f}",
                flush=True,
            )
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")  # noqa: DTZ005 - a file name
    out = ROOT / "bench" / "results" / f"dashboard-{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {"when": stamp, "machine": {"cpus": os.cpu_count()}, "database": facts}
            | {"who": info, "rows": rows},
            indent=2,
            default=str,
        )
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
