"""Bulk-load a benchmark database: organisations, a unit tree, officers and N reports."""

import argparse
import itertools
import os
import random
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

BATCH = 5000
MONTHS = 18

ORGS = [
    # (name, slug, unit prefix names, time zone, open_24h roots)
    ("Polres Kota Sukamaju", "polres-sukamaju", ["SPKT", "Satlantas", "Polsek"], "Asia/Jakarta"),
    ("DPMPTSP Kabupaten Sukamaju", "dpmptsp-sukamaju", ["Bidang", "Loket", "MPP"], "Asia/Jakarta"),
    (
        "Perumda Air Minum Tirta Banua",
        "pdam-tirta-banua",
        ["Cabang", "Unit", "Pos"],
        "Asia/Makassar",
    ),
    (
        "Disdukcapil Kota Jayapura Baru",
        "dukcapil-jayapura",
        ["UPT", "Loket", "Pos"],
        "Asia/Jayapura",
    ),
]
PLACE_NAMES = [
    "Sukamaju", "Cibiru", "Margahayu", "Sukasari", "Cijambe", "Bojongsari", "Tanjungsari",
    "Sumberjaya", "Karanganyar", "Mekarsari", "Sindangbarang", "Rancabali", "Wonorejo",
    "Kebonsari", "Pasirjati", "Gunungsari", "Lembahhijau", "Telukbaru",
]  # fmt: skip
KINDS = [
    ("complaint", 65),
    ("information_request", 12),
    ("suggestion", 10),
    ("criticism", 8),
    ("appreciation", 5),
]
CHANNELS = [
    ("web", 40),
    ("whatsapp", 15),
    ("walk_in", 10),
    ("phone", 8),
    ("lapor", 8),
    ("social_media", 7),
    ("email", 5),
    ("sms", 3),
    ("suggestion_box", 2),
    ("api", 1),
    ("open311", 1),
]
CLOSED = ("resolved", "rejected", "withdrawn", "archived")


def parse_args():
    """Read the command line."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--reports", type=int, required=True, help="number of reports (and cases)")
    p.add_argument("--units", type=int, default=50, help="units in the tree (>= 8)")
    p.add_argument("--database-url", help="defaults to $DATABASE_URL")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--end", help="last day of the 18 months, YYYY-MM-DD (default: today, UTC)")
    p.add_argument("--batch", type=int, default=BATCH)
    return p.parse_args()


def django_setup(database_url: str | None) -> None:
    """Configure Django with the production settings on the benchmark database."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")
    import django

    django.setup()


def weighted(rng: random.Random, pairs):
    """Pick one value of (value, weight) pairs."""
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]


def build_tree(rng: random.Random, n_units: int):
    """Create organisations, units (root, mid, leaf), services, counters, categories, users."""
    from django.contrib.auth.hashers import make_password
    from textgen import CATEGORY_NAMES, SERVICES

    from tanggap.accounts.models import (
        Category,
        Counter,
        Membership,
        Organisation,
        Service,
        Unit,
        User,
    )

    if Organisation.objects.filter(slug=ORGS[0][1]).exists():
        sys.exit("This database already holds benchmark data: drop and recreate it first.")
    password = make_password("bench-password")
    per_org = [n_units // len(ORGS) + (i < n_units % len(ORGS)) for i in range(len(ORGS))]
    units, categories, users = [], {}, {}
    for (name, slug, prefixes, tz), count in zip(ORGS, per_org, strict=True):
        org = Organisation.objects.create(name=name, slug=slug)
        categories[org.pk] = [
            Category.objects.create(organisation=org, name=c) for c in CATEGORY_NAMES
        ]
        root = Unit.objects.create(organisation=org, name=name, slug=f"{slug}-pusat", time_zone=tz)
        mids, org_units = [], [root]
        for k in range(1, count):
            place = PLACE_NAMES[(k + len(units)) % len(PLACE_NAMES)]
            if k <= 3:
                prefix, parent = prefixes[k - 1], root
            else:
                prefix, parent = prefixes[2], mids[(k - 4) % len(mids)]
            unit = Unit(
                organisation=org,
                parent=parent,
                name=f"{prefix} {place}",
                slug=f"{slug}-{k}",
                time_zone=tz,
                # Police desks (SPKT) and some posts never close; MPP works Saturdays.
                open_24h=prefix in ("SPKT", "Pos") and rng.random() < 0.7,
                working_weekdays="0,1,2,3,4,5" if prefix == "MPP" else "0,1,2,3,4",
            )
            if unit.open_24h:
                unit.working_weekdays = "0,1,2,3,4,5,6"
            unit.save()
            (mids if k <= 3 else []).append(unit)
            org_units.append(unit)
        units += org_units
        sup = User.objects.create(username=f"sup-{slug}", password=password, is_staff=False)
        Membership.objects.create(user=sup, unit=root, role="supervisor")
        users[("supervisor", root.pk)] = sup
        aud = User.objects.create(username=f"aud-{slug}", password=password)
        Membership.objects.create(user=aud, unit=root, role="auditor")
        for mid in mids:
            officer = User.objects.create(username=f"ofc-{mid.slug}", password=password)
            Membership.objects.create(user=officer, unit=mid, role="officer")
            users[("officer", mid.pk)] = officer
    services, counters = {}, {}
    for unit in units:
        names = rng.sample(SERVICES, rng.randint(2, 4))
        services[unit.pk] = [
            Service.objects.create(unit=unit, name=n, code=f"svc-{i}") for i, n in enumerate(names)
        ]
        counters[unit.pk] = [
            Counter.objects.create(unit=unit, name=f"Loket {i + 1}", code=f"{unit.slug}-loket-{i}")
            for i in range(rng.randint(1, 2))
        ]
    return units, categories, services, counters, users


def unit_officer(unit, units_by_pk, users):
    """Return the officer (or supervisor) whose membership covers *unit*, for walk-in entries."""
    current = unit
    while current is not None:
        for role in ("officer", "supervisor"):
            if (role, current.pk) in users:
                return users[(role, current.pk)]
        current = units_by_pk.get(current.parent_id)
    return None


def status_for(rng: random.Random, age_days: float) -> str:
    """Return a status plausible for a case of this age."""
    if age_days < 3:
        return weighted(rng, [("received", 60), ("verified", 25), ("assigned", 15)])
    if age_days < 30:
        return weighted(
            rng,
            [
                ("received", 8),
                ("verified", 10),
                ("assigned", 15),
                ("in_progress", 25),
                ("waiting_citizen", 7),
                ("responded", 15),
                ("resolved", 15),
                ("rejected", 3),
                ("withdrawn", 2),
            ],
        )
    return weighted(
        rng,
        [
            ("received", 1),
            ("in_progress", 2),
            ("waiting_citizen", 1),
            ("responded", 2),
            ("resolved", 55),
            ("archived", 30),
            ("rejected", 6),
            ("withdrawn", 3),
        ],
    )


def tracking_code(rng: random.Random, used: set) -> str:
    """Return a fresh, valid, unique tracking code drawn from *rng*."""
    from tanggap.intake.tracking import ALPHABET, DATA_LENGTH, _check_value, _format

    while True:
        data = "".join(rng.choices(ALPHABET, k=DATA_LENGTH))
        check = _check_value(data)
        if check < len(ALPHABET):
            code = _format(data + ALPHABET[check])
            if code not in used:
                used.add(code)
                return code


def secret_pool(rng: random.Random, size: int = 400):
    """Return encrypted names, e-mails and phones to reuse (encryption per row is slow)."""
    from textgen import person_name

    from tanggap.common.crypto import encrypt_text

    names, emails, phones = [], [], []
    for i in range(size):
        name = person_name(rng)
        names.append(encrypt_text(name))
        emails.append(encrypt_text(f"{name.split()[0].lower()}{i}@contoh.id"))
        phones.append(encrypt_text(f"08{rng.randint(10**9, 10**10 - 1)}"))
    return names, emails, phones


def load_reports(args, rng, units, categories, services, counters, users):
    """Insert the cases, their received events, reports and reporters in batches."""
    from django.db import transaction
    from textgen import PLACES, TOPICS, report_text

    from tanggap.cases.calendar import calendar_for
    from tanggap.cases.models import Case, CaseEvent
    from tanggap.cases.policies import DEFAULT_POLICY, step_due
    from tanggap.intake.models import Report, Reporter

    # A bulk loader keeps history: created/updated follow received_at, not the load time.
    for model in (Case, Report, Reporter):
        for name in ("created_at", "updated_at"):
            field = model._meta.get_field(name)
            field.auto_now = field.auto_now_add = False

    end = (
        datetime.fromisoformat(args.end).replace(tzinfo=UTC)
        if args.end
        else datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    )
    span_days = MONTHS * 30.4
    calendars = {u.pk: calendar_for(u, around=end.date()) for u in units}
    units_by_pk = {u.pk: u for u in units}
    officers = {u.pk: unit_officer(u, units_by_pk, users) for u in units}
    # Skewed load: a few units receive most reports, roots fewer than leaves.
    weights = [rng.lognormvariate(0, 1) * (0.3 if u.parent_id is None else 1) for u in units]
    cum_weights = list(itertools.accumulate(weights))
    cat_by_topic = {
        org: {c.name: c for c in cats} for org, cats in categories.items()
    }  # org -> name -> Category
    names, emails, phones = secret_pool(rng)
    used: set[str] = set()
    total, started = 0, time.monotonic()
    while total < args.reports:
        n = min(args.batch, args.reports - total)
        cases, extras = [], []
        for _ in range(n):
            unit = rng.choices(units, cum_weights=cum_weights)[0]
            # Growth over the period: recent months hold more reports than old ones.
            age = span_days * (1 - rng.random() ** 0.7)
            local_hour = rng.choices(range(24), weights=[1] * 6 + [6] * 12 + [3] * 6)[0]
            received = end - timedelta(days=age)
            received = received.replace(hour=(local_hour - 7) % 24, minute=rng.randrange(60))
            received = min(received, end - timedelta(minutes=rng.randrange(1, 600)))
            kind, channel = weighted(rng, KINDS), weighted(rng, CHANNELS)
            topic, title, description = report_text(rng, kind)
            status = status_for(rng, (end - received).total_seconds() / 86400)
            cal = calendars[unit.pk]
            verification_due = step_due("verification", received, cal, DEFAULT_POLICY)
            if status in CLOSED:
                step, due = "", None
            elif status == "received":
                step, due = "verification", verification_due
            elif status in ("verified", "assigned"):
                step, due = "first_reply", step_due("first_reply", received, cal, DEFAULT_POLICY)
            else:
                step, due = "resolution", step_due("resolution", received, cal, DEFAULT_POLICY)
            category = cat_by_topic[unit.organisation_id].get(TOPICS[topic][0])
            if kind in ("appreciation", "suggestion") or rng.random() < 0.3:
                category = None
            service = rng.choice(services[unit.pk]) if rng.random() < 0.6 else None
            code = tracking_code(rng, used)
            cases.append(
                Case(
                    organisation_id=unit.organisation_id,
                    unit_id=unit.pk,
                    reference=code,
                    kind=kind,
                    channel=channel,
                    status=status,
                    priority=weighted(rng, [("normal", 90), ("high", 8), ("urgent", 2)]),
                    category=category,
                    service=service,
                    title=title,
                    search_text=f"{title}\n{description}",
                    is_confidential=rng.random() < 0.05,
                    received_at=received,
                    due_at=due,
                    due_step=step,
                    created_at=received,
                    updated_at=received,
                )
            )
            extras.append((unit, code, description, verification_due))
        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=args.batch)
            events, reports = [], []
            for case, (unit, code, description, verification_due) in zip(
                cases, extras, strict=True
            ):
                walk_in = case.channel in ("walk_in", "phone")
                received_by = officers[unit.pk] if walk_in else None
                events.append(
                    CaseEvent(
                        case_id=case.pk,
                        kind="received",
                        at=case.received_at,
                        actor=received_by,
                        data={"channel": case.channel, "due_at": verification_due.isoformat()},
                    )
                )
                has_place = rng.random() < 0.1
                reports.append(
                    Report(
                        case_id=case.pk,
                        unit_id=unit.pk,
                        kind=case.kind,
                        channel=case.channel,
                        service=case.service,
                        category=case.category,
                        counter=rng.choice(counters[unit.pk])
                        if case.channel == "walk_in"
                        else None,
                        title=case.title,
                        description=description,
                        occurred_at=(
                            case.received_at - timedelta(hours=rng.randint(1, 400))
                            if rng.random() < 0.5
                            else None
                        ),
                        location_text=rng.choice(PLACES) if rng.random() < 0.3 else "",
                        latitude=Decimal(f"{rng.uniform(-8, 1):.6f}") if has_place else None,
                        longitude=Decimal(f"{rng.uniform(100, 140):.6f}") if has_place else None,
                        is_anonymous=rng.random() < 0.2,
                        is_confidential=case.is_confidential,
                        tracking_code=code,
                        pin_digest=f"{rng.getrandbits(256):064x}",
                        link_digest=f"{rng.getrandbits(256):064x}",
                        received_by=received_by,
                        submission_key=(
                            uuid.UUID(int=rng.getrandbits(128), version=4)
                            if case.channel == "web"
                            else None
                        ),
                        created_at=case.received_at,
                        updated_at=case.received_at,
                    )
                )
            CaseEvent.objects.bulk_create(events, batch_size=args.batch)
            Report.objects.bulk_create(reports, batch_size=args.batch)
            Reporter.objects.bulk_create(
                [
                    Reporter(
                        report_id=r.pk,
                        name_enc="" if r.is_anonymous else rng.choice(names),
                        email_enc=rng.choice(emails) if rng.random() < 0.5 else "",
                        phone_enc=rng.choice(phones) if rng.random() < 0.6 else "",
                        created_at=r.created_at,
                        updated_at=r.created_at,
                    )
                    for r in reports
                ],
                batch_size=args.batch,
            )
        total += n
        if total % 50_000 < n or total == args.reports:
            rate = total / (time.monotonic() - started)
            print(f"  {total:>9,} reports  {rate:,.0f}/s", flush=True)
    return time.monotonic() - started


def analyse_and_size() -> str:
    """Run VACUUM ANALYZE on the loaded tables and return the database size."""
    from django.db import connection

    with connection.cursor() as cur:
        for table in ("cases_case", "cases_caseevent", "intake_report", "intake_reporter"):
            cur.execute(f"VACUUM ANALYZE {table}")
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return cur.fetchone()[0]


def main():
    """Load the data and print timings."""
    args = parse_args()
    django_setup(args.database_url)
    from django.db import connection

    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; figures will not match the README", file=sys.stderr)
    else:
        with connection.cursor() as cur:
            # Only this session: a crash mid-load loses the last batches, never consistency.
            cur.execute("SET synchronous_commit TO off")
    rng = random.Random(args.seed)
    started = time.monotonic()
    tree = build_tree(rng, args.units)
    print(f"tree: {len(tree[0])} units, {len(tree[4])} officer/supervisor memberships")
    load_seconds = load_reports(args, rng, *tree)
    size = analyse_and_size() if connection.vendor == "postgresql" else "n/a"
    total = time.monotonic() - started
    print(
        f"done: {args.reports:,} reports in {total:,.0f} s "
        f"(load {load_seconds:,.0f} s, {args.reports / max(load_seconds, 1e-9):,.0f} reports/s); "
        f"database size {size}"
    )


if __name__ == "__main__":
    main()
