"""Case handling at 1M reports: transitions per second and one sweep, each against a floor.

Transitions: the full path verify → dispose → start → reply → resolve through the services
(row lock, version check, deadline, event, reporter e-mail in the outbox) against a floor that
writes only what a transition must: one UPDATE of the case and one INSERT of its event.

Sweep: the sweep's selection over the million cases (the `next_sweep_at` index) and the
handling of the due cases through `case_sweep`, against a floor that reads the same ids and
writes one UPDATE and one event per case.
"""

import argparse
import itertools
import json
import os
import sys
import time
from datetime import datetime, timedelta
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
    p.add_argument("--cases", type=int, default=400, help="cases walked through the path")
    p.add_argument("--sweep", type=int, default=2000, help="due cases handled by the sweep")
    p.add_argument(
        "--all-open",
        action="store_true",
        help="open every case of a throw-away copy and time one periodic sweep over it",
    )
    return p.parse_args()


def django_setup(database_url: str) -> None:
    """Configure Django with the production settings on the benchmark database."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")
    import django

    django.setup()


def prepare() -> int:
    """Give bulk-loaded open cases the sweep agenda the services would have set; return how many.

    Only once: later runs keep the agenda the sweeps left (a stopped case stays stopped).
    """
    from django.db import connection

    from tanggap.cases.models import Case

    if Case.objects.filter(next_sweep_at__isnull=False).exists():
        return 0
    with connection.cursor() as cur:
        cur.execute(
            """
            UPDATE cases_case SET
              next_sweep_at = CASE WHEN due_at - interval '24 hours' > now()
                                   THEN due_at - interval '24 hours' ELSE due_at END,
              sweep_stage = CASE WHEN due_at - interval '24 hours' > now()
                                 THEN 'remind' ELSE 'breach' END
            WHERE due_at IS NOT NULL AND next_sweep_at IS NULL
            """
        )
        n = cur.rowcount
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE cases_case")
    return n


def officer_with_most_received():
    """Return the officer membership whose units hold the most received cases."""
    from tanggap.accounts.models import Membership
    from tanggap.cases.models import Case

    best = None
    for m in Membership.objects.filter(role="officer").select_related("unit", "user"):
        n = Case.objects.filter(unit__path__startswith=m.unit.path, status="received").count()
        if best is None or n > best[0]:
            best = (n, m)
    return best[1]


def walk(cases, user) -> tuple[int, float]:
    """Take each case along the whole path through the services; return (transitions, seconds)."""
    from tanggap.cases import workflow

    t0 = time.perf_counter()
    n = 0
    for case in cases:
        case = workflow.case_verify(case=case, by=user, version=case.version)
        case = workflow.case_assign(case=case, by=user, version=case.version)
        case = workflow.case_start(case=case, by=user, version=case.version)
        case = workflow.case_respond(case=case, by=user, message="Sudah kami tindak lanjuti.")
        workflow.case_resolve(case=case, by=None, how="citizen")
        n += 5
    return n, time.perf_counter() - t0


def walk_floor(cases, user) -> tuple[int, float]:
    """The floor: per transition one UPDATE of the case and one INSERT of the event."""
    from django.db import transaction
    from django.db.models import F

    from tanggap.cases.models import Case, CaseEvent

    path = ["verified", "assigned", "in_progress", "responded", "resolved"]
    t0 = time.perf_counter()
    n = 0
    for case in cases:
        for status in path:
            with transaction.atomic():
                Case.objects.filter(pk=case.pk).update(status=status, version=F("version") + 1)
                CaseEvent.objects.create(case_id=case.pk, kind=status, actor=user)
            n += 1
    return n, time.perf_counter() - t0


def sweep_round(limit: int) -> dict:
    """Handle up to *limit* due cases with case_sweep, and the same number on the floor."""
    from django.db import connection, transaction
    from django.utils import timezone

    from tanggap.cases.models import Case, CaseEvent
    from tanggap.cases.sweeps import case_sweep
    from tanggap.cases.tasks import due_case_ids

    now = timezone.now()
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM cases_case WHERE next_sweep_at <= now()")
        due_total = cur.fetchone()[0]
        cur.execute(
            "SELECT count(*) FROM cases_case WHERE status NOT IN "
            "('resolved','rejected','withdrawn','archived')"
        )
        open_total = cur.fetchone()[0]

    # Selection: the sweep's own query, first batch.
    t0 = time.perf_counter()
    ids = list(itertools.islice(due_case_ids(now, batch_size=limit), limit))
    select_ms = (time.perf_counter() - t0) * 1000
    half = len(ids) // 2
    sweep_ids, floor_ids = ids[:half], ids[half:]

    t0 = time.perf_counter()
    outcomes: dict[str, int] = {}
    for case_id in sweep_ids:
        outcome = case_sweep(case_id=case_id, now=now)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    sweep_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    for case_id in floor_ids:
        with transaction.atomic():
            Case.objects.filter(pk=case_id).update(next_sweep_at=now + timedelta(days=2))
            CaseEvent.objects.create(case_id=case_id, kind="escalated", is_public=False)
    floor_s = time.perf_counter() - t0

    # A steady-state sweep (every 5 minutes): nothing new is due, the selection is all it does.
    t0 = time.perf_counter()
    idle = list(itertools.islice(due_case_ids(now - timedelta(days=3650), batch_size=limit), limit))
    idle_ms = (time.perf_counter() - t0) * 1000
    return {
        "open_cases": open_total,
        "due_cases": due_total,
        "select_first_batch_ms": round(select_ms, 2),
        "idle_sweep_ms": round(idle_ms, 2),
        "idle_found": len(idle),
        "sweep_cases": len(sweep_ids),
        "sweep_per_s": round(len(sweep_ids) / sweep_s, 1) if sweep_ids else None,
        "floor_per_s": round(len(floor_ids) / floor_s, 1) if floor_ids else None,
        "outcomes": outcomes,
    }


def all_open_sweep() -> dict:
    """One periodic sweep over a database where every case is open (a copy; see README).

    The agenda is spread over 60 days from five minutes ago, as if the previous sweep ran five
    minutes ago: the sweep has the last five minutes' cases to do, among a million open ones.
    """
    from django.db import connection, transaction
    from django.utils import timezone

    from tanggap.cases.models import Case, CaseEvent
    from tanggap.cases.tasks import due_case_ids, sweep_cases

    with connection.cursor() as cur:
        if Case.objects.exclude(status="in_progress").exists():
            # First run on the copy (minutes: every row and its indexes are rewritten). A
            # later run finds the cases whose agenda came since, as the next periodic sweep.
            cur.execute(
                """
                UPDATE cases_case SET status = 'in_progress', closed_at = NULL,
                  due_step = 'first_reply', sweep_stage = 'breach',
                  next_sweep_at = now() - interval '5 minutes' + random() * interval '60 days'
                """
            )
            cur.execute("UPDATE cases_case SET due_at = next_sweep_at")
            cur.execute("VACUUM ANALYZE cases_case")
        # Messages left pending by earlier runs on the copy are not this sweep's work.
        cur.execute(
            "UPDATE notifications_notification SET status = 'sent' WHERE status = 'pending'"
        )
        cur.execute("SELECT count(*) FROM cases_case WHERE status = 'in_progress'")
        open_total = cur.fetchone()[0]
    now = timezone.now()
    due = list(due_case_ids(now))
    t0 = time.perf_counter()
    summary = sweep_cases.call()
    sweep_s = time.perf_counter() - t0
    # Floor, on the same cases after the sweep: read their ids through the index, then one
    # UPDATE and one event each (the agenda is left as the sweep set it).
    t0 = time.perf_counter()
    ids = list(
        Case.objects.filter(pk__in=due).order_by("next_sweep_at", "id").values_list("id", flat=True)
    )
    for case_id in ids:
        with transaction.atomic():
            Case.objects.filter(pk=case_id).update(updated_at=timezone.now())
            CaseEvent.objects.create(case_id=case_id, kind="escalated", is_public=False)
    floor_s = time.perf_counter() - t0
    return {
        "open_cases": open_total,
        "due_in_this_sweep": len(due),
        "sweep_summary": summary,
        "sweep_s": round(sweep_s, 3),
        "floor_s": round(floor_s, 3),
        "ratio": round(floor_s / sweep_s, 3) if sweep_s else None,
    }


def main():
    args = parse_args()
    django_setup(args.database_url)
    if args.all_open:
        result = {"all_open_sweep": all_open_sweep()}
        print(json.dumps(result, indent=2))
        return
    from django.conf import settings

    # The outbox enqueues a delivery task per e-mail on commit; the benchmark keeps them queued.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    from tanggap.cases.models import Case

    prepared = prepare()
    membership = officer_with_most_received()
    pool = list(
        Case.objects.filter(unit__path__startswith=membership.unit.path, status="received")
        .select_related("unit")
        .order_by("id")[: 2 * args.cases]
    )
    # Interleave the two halves so neither gets the warmer cache.
    service_cases, floor_cases = pool[0::2], pool[1::2]
    walk(service_cases[:10], membership.user)
    walk_floor(floor_cases[:10], membership.user)
    n_floor, s_floor = walk_floor(floor_cases[10:], membership.user)
    n_srv, s_srv = walk(service_cases[10:], membership.user)
    transitions = {
        "cases": len(service_cases) - 10,
        "services_per_s": round(n_srv / s_srv, 1),
        "floor_per_s": round(n_floor / s_floor, 1),
        "ratio": round((n_srv / s_srv) / (n_floor / s_floor), 3),
    }
    sweep = sweep_round(args.sweep)
    if sweep["sweep_per_s"] and sweep["floor_per_s"]:
        sweep["ratio"] = round(sweep["sweep_per_s"] / sweep["floor_per_s"], 3)
    result = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "database": args.database_url.rsplit("/", 1)[-1],
        "prepared_sweep_agenda": prepared,
        "officer": f"{membership.user.username} on {membership.unit.name}",
        "transitions": transitions,
        "sweep": sweep,
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (out / f"cases-{stamp}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
