"""Report creation through the JSON API on gunicorn, as ratios to the one-INSERT floor.

Three kinds of request share one server, its settings and database, in alternating phases:
the floor (``POST /bench/floor/``, one INSERT), the API (``POST /api/v1/reports`` with JSON and
a fresh Idempotency-Key, as a citizen's app sends it) and, for comparison, the public form
(``POST /lapor/``, as ``submit.py`` sends it). SQLite by default (a fresh file under
``bench/results/``); ``--database-url`` for PostgreSQL.
"""

import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from submit import HOST, KINDS, Client, launch_gunicorn, stop_server, summary  # noqa: E402
from textgen import person_name, report_text  # noqa: E402

EXPECTED = {"floor": 200, "api": 201, "form": 302}


def parse_args():
    """Read the command line."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    p.add_argument("--port", type=int, default=8792)
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--phase-seconds", type=float, default=10.0)
    p.add_argument("--warmup-seconds", type=float, default=2.0)
    p.add_argument("--rounds", type=int, default=2, help="floor+api+form triples")
    p.add_argument("--max-requests-per-phase", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args()


def wsgi_app():
    """Return the product's WSGI app with rate limits no benchmark client reaches.

    The limits are still counted on every request (that work is part of the product); only
    the thresholds are raised, because all clients share one address.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    from django.conf import settings  # noqa: PLC0415
    from django.core.wsgi import get_wsgi_application  # noqa: PLC0415

    application = get_wsgi_application()
    settings.API_REQUESTS_PER_MINUTE = 10**9
    settings.REPORTS_PER_ADDRESS_PER_HOUR = 10**9
    return application


def server_env(args, database_url: str) -> dict:
    """Return the environment of the server under test (production settings, real task queue)."""
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-secret-key-not-for-production"),
        "DEBUG": "0",
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "60",
        "REPORTS_PER_ADDRESS_PER_HOUR": str(10**9),
    }


SETUP = """
import django; django.setup()
from tanggap.accounts.models import Category, Organisation, Service, Unit
if not Unit.objects.filter(slug="bench-api").exists():
    org = Organisation.objects.create(name="Bench API", slug="bench-api")
    unit = Unit.objects.create(organisation=org, name="Unit Bench API", slug="bench-api")
    Service.objects.create(unit=unit, name="Layanan", code="layanan")
    Category.objects.create(organisation=org, name="Kategori")
"""


def prepare(env: dict) -> None:
    """Migrate the database and make sure one unit accepts reports."""
    python = str(ROOT / ".venv/bin/python")
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
    )
    subprocess.run([python, "-c", SETUP], env=env, cwd=ROOT, check=True)


def start_server(args, env: dict, log_path: Path) -> subprocess.Popen:
    """Start gunicorn on this module's wsgi_app(); wait for /healthz."""
    return launch_gunicorn(args, env, log_path, app="bench.api:wsgi_app()")


class ApiClient(Client):
    """The form client of submit.py, plus the same report sent as JSON to the API."""

    def api(self) -> int:
        """POST one report to /api/v1/reports with a fresh Idempotency-Key; return the status."""
        kind = self.rng.choice(KINDS)
        _, title, description = report_text(self.rng, kind)
        anonymous = self.rng.random() < 0.2
        body = {
            "unit": int(self.rng.choice(self.units)),
            "kind": kind,
            "title": title,
            "description": description,
            "anonymous": anonymous,
            "name": "" if anonymous else person_name(self.rng),
            "email": f"warga{self.rng.randrange(10**6)}@contoh.id"
            if self.rng.random() < 0.5
            else "",
        }
        status, _, _ = self.request(
            "POST",
            "/api/v1/reports",
            body=json.dumps(body),
            headers={
                "Content-Type": "application/json",
                "Idempotency-Key": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
            },
        )
        return status

    def form(self) -> int:
        return self.product()


def run_phase(clients, kind: str, seconds: float, max_requests: int) -> dict:
    """Run all clients against *kind* for *seconds*; return counts and latencies."""
    latencies: list[list[float]] = [[] for _ in clients]
    errors = [0] * len(clients)
    budget = max_requests // len(clients)
    stop_at = time.monotonic() + seconds

    def work(i):
        call = getattr(clients[i], kind)
        for _ in range(budget):
            if time.monotonic() >= stop_at:
                break
            t0 = time.perf_counter()
            try:
                status = call()
            except (http.client.HTTPException, OSError):
                status = 0
            elapsed = time.perf_counter() - t0
            if status == EXPECTED[kind]:
                latencies[i].append(elapsed)
            else:
                errors[i] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    wall = time.monotonic() - started
    flat = sorted(x for per in latencies for x in per)
    return {"kind": kind, "seconds": wall, "ok": len(flat), "errors": sum(errors), "lat": flat}


def main():
    """Start the server, alternate floor, API and form phases, print and save the ratios."""
    args = parse_args()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")  # noqa: DTZ005 - a file name
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    database_url, scratch = args.database_url, None
    if not database_url:
        scratch = results / f"api-{stamp}.sqlite3"
        database_url = f"sqlite:///{scratch}"
    env = server_env(args, database_url)
    prepare(env)
    proc = start_server(args, env, results / f"gunicorn-api-{stamp}.log")
    kinds = ("floor", "api", "form")
    try:
        clients = [ApiClient(args.port, args.seed * 1000 + i) for i in range(args.clients)]
        for c in clients:
            c.load_form()
        for kind in kinds:
            run_phase(clients, kind, args.warmup_seconds, args.max_requests_per_phase)
        phases = []
        for r in range(args.rounds):
            for kind in kinds:
                p = run_phase(clients, kind, args.phase_seconds, args.max_requests_per_phase)
                print(
                    f"round {r + 1} {kind:<6} {p['ok'] / p['seconds']:8.1f} req/s "
                    f"ok={p['ok']} errors={p['errors']}",
                    flush=True,
                )
                phases.append(p)
    finally:
        stop_server(proc)
        if scratch is not None:
            for leftover in results.glob(f"{scratch.name}*"):
                leftover.unlink()
    merged = {k: summary([p for p in phases if p["kind"] == k]) for k in kinds}
    floor = merged["floor"]
    ratios = {
        k: {
            "throughput": merged[k]["rps"] / floor["rps"],
            "p50": merged[k]["p50_ms"] / floor["p50_ms"],
            "p99": merged[k]["p99_ms"] / floor["p99_ms"],
        }
        for k in ("api", "form")
    }
    print(f"\n{'':<8}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for name in kinds:
        s = merged[name]
        print(f"{name:<8}{s['rps']:>10.1f}{s['p50_ms']:>10.1f}{s['p99_ms']:>10.1f}{s['errors']:>8}")
    for name in ("api", "form"):
        r = ratios[name]
        print(
            f"{name + '/fl':<8}{r['throughput']:>10.3f}{r['p50']:>10.2f}{r['p99']:>10.2f}"
            "   (ratio to the floor)"
        )
    out = results / f"api-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "when": stamp,
                "machine": {"cpus": os.cpu_count()},
                "config": vars(args) | {"database": database_url.split(":", 1)[0]},
                "results": merged,
                "ratios": ratios,
            },
            indent=2,
        )
    )
    print(f"wrote {out}")
    if any(merged[k]["errors"] for k in kinds):
        raise SystemExit("some requests failed: the figures above are not valid")


if __name__ == "__main__":
    main()
