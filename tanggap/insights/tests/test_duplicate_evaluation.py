"""The duplicate evaluation runs end to end on invented files in the shared data's two formats."""

import csv
import io
import random

from django.core.management import call_command

from tanggap.insights import duplicate_evaluation as ev

SURABAYA_FIELDS = ["id", "tanggal_keluhan", "instansi", "kecamatan", "kelurahan", "keluhan"]
BANDUNG_FIELDS = [
    "tracking_id",
    "tanggal_masuk",
    "waktu_masuk",
    "judul",
    "isi_laporan_akhir",
    "sumber_laporan",
    "instansi_induk",
    "instansi_terdisposisi",
    "kecamatan_final",
]
TOPICS = [
    "lampu jalan di gang {n} padam sudah seminggu, malam gelap sekali",
    "sampah di pasar blok {n} tidak diangkut, baunya menyengat sampai ke rumah warga",
    "jalan berlubang di depan sekolah nomor {n} membahayakan anak anak yang lewat",
    "air PDAM di perumahan blok {n} mati sejak kemarin pagi tanpa pemberitahuan",
]


def invented_rows(count: int, seed: int = 3) -> list[tuple[str, str]]:
    """Return (timestamp, text) rows, every fifth one a re-submission of an earlier one."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        if i % 5 == 4:
            text = rows[i - 2][1]
        else:
            text = rng.choice(TOPICS).format(n=rng.randrange(1, 500))
        rows.append((f"2023-01-{1 + i // 20:02d} {8 + i % 10:02d}:{i % 60:02d}:00", text))
    return rows


def write_csv(path, fields, rows):
    path.parent.mkdir(parents=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def test_the_command_prints_recall_and_precision_for_both_sets(tmp_path):
    # given invented files shaped like the two shared sets
    rows = invented_rows(60)
    write_csv(
        tmp_path / "surabaya-mediacenter-aduan" / "complaints.csv",
        SURABAYA_FIELDS,
        [
            {"id": i, "tanggal_keluhan": at, "instansi": "Dinas A", "kecamatan": "Tegal",
             "kelurahan": "Sari", "keluhan": text}
            for i, (at, text) in enumerate(rows)
        ],
    )  # fmt: skip
    write_csv(
        tmp_path / "sp4n-lapor-kab-bandung" / "reports.csv",
        BANDUNG_FIELDS,
        [
            {"tracking_id": i, "tanggal_masuk": at[:10], "waktu_masuk": at[11:],
             "judul": "Laporan", "isi_laporan_akhir": text, "sumber_laporan": "Website",
             "instansi_induk": "Pemkab", "instansi_terdisposisi": "", "kecamatan_final": "-"}
            for i, (at, text) in enumerate(rows)
        ],
    )  # fmt: skip
    out = io.StringIO()

    # when the evaluation runs
    call_command("insights_evaluate", "duplicates", "--data", str(tmp_path), "--sample", "30",
                 stdout=out)  # fmt: skip

    # then it prints each set's recall for the three ways of asking, and precision
    printed = out.getvalue()
    for name in ("surabaya", "bandung"):
        assert f"{name}: 60 reports" in printed
    for variant in ("exact", "retyped", "summary"):
        assert printed.count(f"  {variant} ") == 2
    assert "similarity >= 0.6" in printed


def test_exact_re_submissions_are_all_found():
    replay = ev.Replay(
        [
            ev.Row(at=ev.datetime.fromisoformat(at), unit="A", place="", channel="web",
                   text=text, body=text)
            for at, text in invented_rows(40)
        ]
    )  # fmt: skip

    result = ev.recall(replay, variant="exact")

    assert result["groups"] >= 7
    assert result["recall_at_5"] == 1.0


def test_retyping_lowercases_abbreviates_and_keeps_most_words():
    text = "Sudah tiga hari lampu jalan tidak menyala dan belum ada perbaikan dari petugas"

    typed = ev.retype(text, random.Random(1))

    assert typed == typed.lower()
    assert len(typed.split()) == len(text.split())
    assert len(ev.retype(text, random.Random(1), keep=0.6).split()) == 10
