"""The evaluation end to end on the invented fixture: split by time, baselines, the command."""

import csv
import json

from django.core.management import call_command

from tanggap.insights import evaluation as ev
from tanggap.insights.tests.synthetic import examples


def dated(n: int = 360) -> list[ev.Example]:
    """Return the fixture spread over twelve months of 2024, oldest first."""
    texts, labels = examples(n)
    return [
        ev.Example(f"2024-{1 + i * 12 // n:02d}-15 10:00:00", text, label)
        for i, (text, label) in enumerate(zip(texts, labels, strict=True))
    ]


def test_the_split_is_by_month_with_the_newest_fifth_for_testing():
    # given a year of reports, thirty a month
    rows = dated(360)
    # when split
    train, test = ev.time_split(rows, test_fraction=0.2)
    # then the test set is the newest whole months closest to a fifth (Oct-Dec is 25 %,
    # Nov-Dec 16.7 %), and no test report is older than a training one
    assert len(test) == 60
    assert {r.at[:7] for r in test} == {"2024-11", "2024-12"}
    assert max(r.at for r in train) < min(r.at for r in test)


def test_the_pipeline_runs_end_to_end_and_beats_the_majority_baseline():
    # given the fixture split by time
    train, test = ev.time_split(dated(360))
    # when evaluated
    results = ev.evaluate(train, test, latency_sample=20)
    # then the model beats always suggesting the most common agencies, on every figure
    model, majority = results["model"], results["majority"]
    assert model["macro_f1"] > majority["macro_f1"]
    assert model["accuracy"] > majority["accuracy"]
    assert model["top3_accuracy"] > majority["top3_accuracy"]
    # and the report carries the keyword baseline, the floors, the times
    assert set(results["keyword"]) == {"macro_f1", "accuracy", "top3_accuracy"}
    assert [f["floor"] for f in model["floors"]] == list(ev.FLOORS)
    assert results["latency_ms"]["reports"] == 20
    assert results["latency_ms"]["p95"] >= results["latency_ms"]["p50"] > 0
    assert results["training_seconds"] > 0
    assert any("top-3 accuracy" in line for line in ev.report_lines(results))


def test_the_keyword_baseline_ranks_by_distinctive_words():
    # given a few reports of two agencies
    texts = ["sampah menumpuk di pasar"] * 5 + ["air pdam mati lagi"] * 6
    labels = ["DLH"] * 5 + ["PDAM"] * 6
    baseline = ev.KeywordBaseline(texts, labels)
    # when ranking a new text / then its keywords decide; without any, frequency does
    assert baseline.rank("sampahnya bau sekali", k=2) == ["DLH", "PDAM"]
    assert baseline.rank("lampu jalan padam", k=2) == ["PDAM", "DLH"]


def test_the_command_reads_the_file_and_prints_the_figures(tmp_path, capsys):
    # given a CSV in the columns of the Surabaya set, made from the invented fixture
    path = tmp_path / "complaints.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["tanggal_keluhan", "keluhan", "instansi"])
        writer.writeheader()
        for row in dated(300):
            writer.writerow({"tanggal_keluhan": row.at, "keluhan": row.text, "instansi": row.label})
    out = tmp_path / "figures.json"
    # when the evaluation command runs on it
    call_command("insights_evaluate", "classifier", "--file", str(path), "--json", str(out))
    # then it prints the three methods and writes the figures
    printed = capsys.readouterr().out
    for name in ("majority class", "keywords", "model", "p95"):
        assert name in printed
    figures = json.loads(out.read_text())
    assert figures["test"] + figures["train"] == 300
