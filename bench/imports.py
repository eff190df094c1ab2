"""Import rate of a LAPOR!-shaped file on SQLite, against two floors measured in the same run.

Phases, on synthetic rows (textgen; no real report is copied):

* parse floor: `read_table` + `check_row` over every row, no database;
* dry run: `import_check` over the whole file (parse, check, look up existing keys, store one
  ImportRow per row), as ratio to the parse floor;
* submit floor: plain `intake.services.report_submit` calls, one report each (what any
  channel pays for a report);
* import: `import_run_batch` until the confirmed rows are in (`--import-rows` of them, the
  first rows of the file), as ratio to the submit floor.

A throw-away SQLite database under a temporary directory (or `--workdir`) is migrated first.
"""

import argparse
import csv
import io
import json
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from textgen import report_text  # noqa: E402

KINDS = {
    "Pengaduan Berkadar Pengawasan": "complaint",
    "Pengaduan Tidak Berkadar Pengawasan": "complaint",
    "Permintaan Informasi": "information_request",
    "Aspirasi": "suggestion",
}
# Roughly the status mix of a real LAPOR! export: most rows are finished there.
STATUSES = (
    ["Ditutup oleh Sistem"] * 70 + ["Ditutup oleh Admin"] * 10 + ["Diarsipkan oleh Admin"] * 6
)
STATUSES += ["Menunggu Kelengkapan Informasi"] * 5 + ["Belum Terverifikasi"] * 9
SOURCES = ["Website"] * 6 + ["Android"] * 2 + ["Hotline Service", "Instagram", "SMS"]
HEADER = [
    "tracking_id",
    "tanggal_masuk",
    "waktu_masuk",
    "klasifikasi",
    "id_kategori",
    "kategori",
    "judul",
    "isi_laporan_akhir",
    "tipe_laporan",
    "sumber_laporan",
    "instansi_induk",
    "instansi_terdisposisi",
    "status_laporan",
    "alasan_tunda_arsip",
    "provinsi",
    "kota_kabupaten",
    "status_final",
    "kecamatan_final",
    "rahasia",
]


class Timer:
    """Wall-clock and CPU seconds of a block: on a shared machine the CPU time is the steadier."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def parse_args():
    """Read the command line."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rows", type=int, default=100_000, help="rows in the file (dry run)")
    p.add_argument("--import-rows", type=int, default=None, help="rows confirmed (default all)")
    p.add_argument("--submit-rows", type=int, default=1000, help="report_submit floor calls")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--workdir", default=None, help="where the SQLite file goes (kept)")
    return p.parse_args()


def django_setup(workdir: Path) -> None:
    """Configure Django on a fresh SQLite file with DEBUG off (no query log)."""
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench-imports.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")
    os.environ["TASKS_BACKEND"] = "django.tasks.backends.dummy.DummyBackend"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def lapor_file(n: int, seed: int) -> bytes:
    """Return *n* synthetic rows in the columns of a LAPOR! export, as UTF-8 CSV."""
    rng = random.Random(seed)
    start = datetime(2023, 1, 1)  # noqa: DTZ001 (a naive wall-clock date written to the file)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for i in range(n):
        klasifikasi = rng.choice(list(KINDS))
        _topic, title, text = report_text(rng, KINDS[klasifikasi])
        at = start + timedelta(seconds=rng.randrange(3 * 365 * 86400))
        status = rng.choice(STATUSES)
        row = dict.fromkeys(HEADER, "")
        row |= {
            "tracking_id": str(6_000_000 + i),
            "tanggal_masuk": at.date().isoformat(),
            "waktu_masuk": at.strftime("%H:%M:%S"),
            "klasifikasi": klasifikasi,
            "kategori": rng.choice(["Jalan", "Sampah", "Air Bersih", "Lainnya"]),
            "judul": title,
            "isi_laporan_akhir": text,
            "tipe_laporan": "Anonim" if rng.random() < 0.75 else "",
            "sumber_laporan": rng.choice(SOURCES),
            "status_laporan": status,
            "rahasia": "False",
        }
        writer.writerow([row[h] for h in HEADER])
    return out.getvalue().encode()


def setup_unit():
    """Create one organisation, a unit, its categories and an officer."""
    from tanggap.accounts.models import Category, Membership, Organisation, Unit, User
    from tanggap.accounts.roles import Role

    org = Organisation.objects.create(name="Pemkab Bench", slug="pemkab-bench")
    unit = Unit.objects.create(organisation=org, name="Bagian Pengaduan", slug="pengaduan-bench")
    for name in ("Jalan", "Sampah", "Air Bersih"):
        Category.objects.create(organisation=org, name=name)
    user = User.objects.create_user(username="bench-officer", password="bench-password")  # noqa: S106
    Membership.objects.create(user=user, unit=unit, role=Role.OFFICER)
    return unit, user


def parse_floor(data: bytes, unit) -> Timer:
    """Time reading and checking every row without touching the database."""
    from django.utils import timezone

    from tanggap.integrations.lapor.fields import LAPOR_MAPPING
    from tanggap.integrations.lapor.rows import RowContext, check_row
    from tanggap.integrations.lapor.tabular import read_table

    timer = Timer().__enter__()
    table = read_table(data)
    index = {h: i for i, h in enumerate(table.headers)}
    ctx = RowContext(
        fmt="lapor",
        organisation_id=unit.organisation_id,
        tz=unit.tz,
        now=timezone.now(),
        categories={"jalan": 1},
    )
    for _number, cells in table.rows:
        check_row({t: cells[index[c]] for t, c in LAPOR_MAPPING.items()}, LAPOR_MAPPING, ctx)
    timer.__exit__()
    return timer


def submit_floor(n: int, unit, seed: int) -> Timer:
    """Time *n* plain report_submit calls (what any channel pays for a report)."""
    from tanggap.intake.services import ReportInput, report_submit

    rng = random.Random(seed + 1)
    inputs = []
    for i in range(n):
        _topic, title, text = report_text(rng, "complaint")
        inputs.append(
            ReportInput(
                unit=unit,
                kind="complaint",
                channel="lapor",
                title=title,
                description=text,
                is_anonymous=True,
                external_source="bench",
                external_ref=str(i),
            )
        )
    with Timer() as timer:
        for data in inputs:
            report_submit(data)
    return timer


def main():
    args = parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="tanggap-bench-imports-"))
    workdir.mkdir(parents=True, exist_ok=True)
    django_setup(workdir)
    from tanggap.integrations.lapor.models import Import, ImportRow, ImportStatus, RowStatus
    from tanggap.integrations.lapor.services import (
        import_check,
        import_map,
        import_run_batch,
        import_upload,
    )

    unit, user = setup_unit()
    t0 = time.perf_counter()
    data = lapor_file(args.rows, args.seed)
    generated = time.perf_counter() - t0
    print(f"{args.rows} rows, {len(data) / 1e6:.1f} MB generated in {generated:.1f} s")

    parse = parse_floor(data, unit)
    print(f"parse floor: {parse.wall:.1f} s ({parse.cpu:.1f} s CPU)")
    batch = import_upload(user=user, unit=unit, fmt="lapor", name="bench.csv", data=data)
    import_map(
        user=user,
        batch=batch,
        mapping=batch.mapping,
        default_kind="complaint",
        default_channel="lapor",
    )
    with Timer() as dry:
        batch = import_check(batch_id=batch.pk)
    print(f"dry run: {dry.wall:.1f} s ({dry.cpu:.1f} s CPU), {batch.valid_count} valid")

    # Confirm only the first --import-rows rows: the rest are set aside, not imported.
    limit = args.import_rows if args.import_rows is not None else batch.valid_count
    cut = batch.rows.filter(status=RowStatus.VALID).order_by("number")[limit : limit + 1]
    if cut_row := cut.first():
        ImportRow.objects.filter(batch=batch, number__gte=cut_row.number).update(
            status=RowStatus.REPEATED
        )
    Import.objects.filter(pk=batch.pk).update(status=ImportStatus.IMPORTING, confirmed_by=user)
    with Timer() as run:
        while import_run_batch(batch_id=batch.pk):
            pass
    batch.refresh_from_db()
    print(f"import: {batch.imported_count} rows in {run.wall:.1f} s ({run.cpu:.1f} s CPU)")

    submit = submit_floor(args.submit_rows, unit, args.seed)
    print(f"submit floor: {args.submit_rows} calls in {submit.wall:.1f} s ({submit.cpu:.1f} s CPU)")

    phases = {
        "parse": (args.rows, parse),
        "dry_run": (args.rows, dry),
        "import": (batch.imported_count, run),
        "submit": (args.submit_rows, submit),
    }
    rates = {
        name: {"rows_per_s_wall": n / t.wall, "rows_per_s_cpu": n / t.cpu}
        for name, (n, t) in phases.items()
    }
    result = {
        "rows": args.rows,
        "imported": batch.imported_count,
        "failed": batch.failed_count,
        "file_mb": round(len(data) / 1e6, 1),
        "rates": rates,
        "ratios": {
            f"{a}/{b} ({clock})": rates[a][f"rows_per_s_{clock}"] / rates[b][f"rows_per_s_{clock}"]
            for a, b in (("dry_run", "parse"), ("import", "submit"))
            for clock in ("wall", "cpu")
        },
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (out / f"imports-{stamp}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
