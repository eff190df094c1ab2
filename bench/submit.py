"""Report submission throughput and latency on gunicorn, as ratios to a one-INSERT floor."""

import argparse
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from textgen import person_name, report_text  # noqa: E402

HOST = "127.0.0.1"
KINDS = ["complaint"] * 6 + ["criticism", "suggestion", "information_request", "appreciation"]


def parse_args():
    """Read the command line."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument(
        "--database-url",
        default=os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tanggap_bench_submit"
        ),
    )
    p.add_argument("--port", type=int, default=8791)
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--phase-seconds", type=float, default=15.0)
    p.add_argument("--warmup-seconds", type=float, default=3.0)
    p.add_argument("--rounds", type=int, default=2, help="floor+product pairs")
    p.add_argument("--max-requests-per-phase", type=int, default=200_000)
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args()


def server_env(args) -> dict:
    """Return the environment of the server under test (production settings, real task queue)."""
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-secret-key-not-for-production"),
        "DEBUG": "0",
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": args.database_url,
        "CONN_MAX_AGE": "60",
    }


def migrate(args) -> None:
    """Bring the benchmark database up to the code's migrations."""
    manage = [str(ROOT / ".venv/bin/python"), "manage.py", "migrate", "--noinput", "-v0"]
    subprocess.run(manage, env=server_env(args), cwd=ROOT, check=True)


def start_server(args, log_path: Path) -> subprocess.Popen:
    """Start gunicorn with the production settings plus the floor route; wait for /healthz."""
    return launch_gunicorn(args, server_env(args), log_path, app="config.wsgi")


def launch_gunicorn(args, env: dict, log_path: Path, *, app: str) -> subprocess.Popen:
    """Start gunicorn serving *app* with *env*; return once it answers /healthz."""
    cmd = [
        str(ROOT / ".venv/bin/gunicorn"),
        app,
        "--workers",
        str(args.workers),
        "--bind",
        f"{HOST}:{args.port}",
        "--chdir",
        str(ROOT),
        "--log-level",
        "warning",
    ]
    log = log_path.open("w")
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited, see {log_path}")
        try:
            conn = http.client.HTTPConnection(HOST, args.port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.3)
    stop_server(proc)
    raise SystemExit(f"gunicorn did not answer /healthz within 30 s, see {log_path}")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the gunicorn master we started (it stops its workers), killing it if it hangs."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


class Client:
    """One simulated browser: a keep-alive connection and the form's CSRF token."""

    def __init__(self, port: int, seed: int):
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)
        self.rng = random.Random(seed)
        self.csrf_cookie = self.csrf_token = ""
        self.units: list[str] = []

    def request(self, method, path, body=None, headers=None):
        """Send one request and return (status, headers, body), reconnecting once if dropped."""
        for attempt in (0, 1):
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                resp = self.conn.getresponse()
                return resp.status, resp.getheaders(), resp.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def load_form(self) -> None:
        """GET /lapor/ once for the CSRF cookie, the token and the unit choices."""
        status, headers, body = self.request("GET", "/lapor/")
        assert status == 200, f"GET /lapor/ answered {status}"
        html = body.decode()
        for name, value in headers:
            if name.lower() == "set-cookie" and value.startswith("csrftoken="):
                self.csrf_cookie = value.split(";", 1)[0].split("=", 1)[1]
        self.csrf_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
        select = re.search(r'<select name="unit".*?</select>', html, re.S)[0]
        self.units = re.findall(r'<option value="(\d+)"', select)
        assert self.csrf_cookie and self.units, "form page without CSRF cookie or units"

    def product(self) -> int:
        """POST one report through the public form as a new visitor; return the status."""
        kind = self.rng.choice(KINDS)
        _, title, description = report_text(self.rng, kind)
        anonymous = self.rng.random() < 0.2
        fields = {
            "csrfmiddlewaretoken": self.csrf_token,
            "kind": kind,
            "unit": self.rng.choice(self.units),
            "title": title,
            "description": description,
            "identity": "anonymous" if anonymous else "identified",
            "name": "" if anonymous else person_name(self.rng),
            "email": f"warga{self.rng.randrange(10**6)}@contoh.id"
            if self.rng.random() < 0.5
            else "",
            "submission_key": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
        }
        status, _, _ = self.request(
            "POST",
            "/lapor/",
            body=urllib.parse.urlencode(fields),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                # A first-time visitor: only the CSRF cookie, no session yet.
                "Cookie": f"csrftoken={self.csrf_cookie}",
            },
        )
        return status

    def floor(self) -> int:
        """POST the floor view (one INSERT) with a body of similar size; return the status."""
        body = urllib.parse.urlencode({"description": "x" * 300, "n": self.rng.random()})
        status, _, _ = self.request(
            "POST",
            "/bench/floor/",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        return status


def run_phase(clients, kind: str, seconds: float, max_requests: int) -> dict:
    """Run all clients against *kind* for *seconds*; return counts and latencies."""
    expected = 302 if kind == "product" else 200
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
            if status == expected:
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


def summary(phases: list[dict]) -> dict:
    """Merge phases of one kind: throughput, p50, p99 (ms)."""
    lat = sorted(x for p in phases for x in p["lat"])
    seconds = sum(p["seconds"] for p in phases)
    if not lat:
        return {"rps": 0.0, "p50_ms": None, "p99_ms": None, "ok": 0, "errors": 0}
    q = statistics.quantiles(lat, n=100, method="inclusive")
    return {
        "rps": len(lat) / seconds,
        "p50_ms": q[49] * 1000,
        "p99_ms": q[98] * 1000,
        "ok": len(lat),
        "errors": sum(p["errors"] for p in phases),
        "seconds": seconds,
        "per_phase_rps": [p["ok"] / p["seconds"] for p in phases],
    }


def main():
    """Start the server, alternate floor and product phases, print and save the ratios."""
    args = parse_args()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    migrate(args)
    proc = start_server(args, results / f"gunicorn-{stamp}.log")
    try:
        clients = [Client(args.port, args.seed * 1000 + i) for i in range(args.clients)]
        for c in clients:
            c.load_form()
        for kind in ("floor", "product"):
            run_phase(clients, kind, args.warmup_seconds, args.max_requests_per_phase)
        phases = []
        for r in range(args.rounds):
            for kind in ("floor", "product"):
                p = run_phase(clients, kind, args.phase_seconds, args.max_requests_per_phase)
                print(
                    f"round {r + 1} {kind:<7} {p['ok'] / p['seconds']:8.1f} req/s "
                    f"ok={p['ok']} errors={p['errors']}",
                    flush=True,
                )
                phases.append(p)
    finally:
        stop_server(proc)
    floor = summary([p for p in phases if p["kind"] == "floor"])
    product = summary([p for p in phases if p["kind"] == "product"])
    ratios = {
        "throughput": product["rps"] / floor["rps"],
        "p50": product["p50_ms"] / floor["p50_ms"],
        "p99": product["p99_ms"] / floor["p99_ms"],
    }
    print(f"\n{'':<10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for name, s in (("floor", floor), ("product", product)):
        print(
            f"{name:<10}{s['rps']:>10.1f}{s['p50_ms']:>10.1f}{s['p99_ms']:>10.1f}{s['errors']:>8}"
        )
    print(
        f"{'ratio':<10}{ratios['throughput']:>10.3f}{ratios['p50']:>10.2f}{ratios['p99']:>10.2f}"
        "   (product / floor)"
    )
    out = results / f"submit-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "when": stamp,
                "machine": {"cpus": os.cpu_count()},
                "config": vars(args) | {"database_url": args.database_url.rsplit("@", 1)[-1]},
                "floor": floor,
                "product": product,
                "ratios": ratios,
            },
            indent=2,
        )
    )
    print(f"wrote {out}")
    if floor["errors"] or product["errors"]:
        raise SystemExit("some requests failed: the figures above are not valid")


if __name__ == "__main__":
    main()
