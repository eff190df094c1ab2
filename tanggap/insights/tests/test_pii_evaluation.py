"""The detector on the labelled sample: floors below the measured figures, above the baseline."""

from django.core.management import call_command

from tanggap.insights import pii_evaluation as ev

# Holdout floors, a little under what was measured when the sample was built (README_pii.md).
FLOORS = {
    "nik/kk": (0.95, 0.95),
    "phone": (0.95, 0.95),
    "email": (0.95, 0.95),
    "plate": (0.9, 0.9),
    "address": (0.95, 0.95),
    "name": (0.9, 0.8),
}


def test_holdout_precision_and_recall_stay_above_the_floors():
    # given the labelled sample's holdout half
    holdout = [s for s in ev.load_samples() if s.split == "holdout"]
    # when the detector is measured
    figures = ev.measure(holdout)
    # then every kind keeps its precision and recall
    for group, (precision, recall) in FLOORS.items():
        assert figures[group].precision >= precision, group
        assert figures[group].recall >= recall, group


def test_detector_beats_the_naive_baseline_where_it_matters():
    # given the whole sample
    samples = ev.load_samples()
    # when both are measured
    detector, baseline = ev.measure(samples), ev.measure(samples, ev.baseline_find)
    # then the detector finds far more split numbers, phones and names than the baseline
    for group in ("nik/kk", "phone", "address", "name"):
        assert detector[group].recall > baseline[group].recall + 0.2, group


def test_sample_spans_hold_no_placeholder():
    # given the sample
    # when / then each labelled span holds a synthetic value, not a placeholder of the source
    for sample in ev.load_samples():
        for span in sample.spans:
            assert "[" not in sample.text[span.start : span.end]


def test_command_prints_the_table(capsys):
    # given / when the evaluation command runs
    call_command("pii_evaluate")
    # then it prints a row per split, method and kind
    out = capsys.readouterr().out
    assert "holdout  detector  name" in out and "all      baseline  phone" in out
