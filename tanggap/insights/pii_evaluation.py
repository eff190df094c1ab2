"""Measure ``pii.find`` on the labelled sample: precision and recall per kind (pure).

The sample (``tests/data/pii_sample.jsonl``, described in ``tests/data/README_pii.md``) holds
excerpts of real complaints whose placeholders were replaced by synthetic identifiers, labelled
by construction, with look-alikes that must stay (amounts, dates, LAPOR! ids, times, house
numbers). Even rows are "dev" (looked at while tuning), odd rows "holdout". A naive regex
baseline (16 digits, 08 numbers, a plain e-mail pattern, "Pak/Bu" + one word, ...) shows what
the checks and the context rules add.

A found span counts as right when it overlaps a labelled span of the same group (NIK and KK are
one group: both are masked); "covered" counts labelled spans masked from end to end.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import pii

SAMPLE = Path(__file__).resolve().parent / "tests" / "data" / "pii_sample.jsonl"
GROUPS = {
    pii.NIK: "nik/kk",
    pii.KK: "nik/kk",
    pii.NUMBER: "number",
    pii.PHONE: "phone",
    pii.EMAIL: "email",
    pii.PLATE: "plate",
    pii.ADDRESS: "address",
    pii.NAME: "name",
    pii.OTHER: "other",
}
REPORTED = ("nik/kk", "phone", "email", "plate", "address", "name")


@dataclass(frozen=True)
class Sample:
    """One labelled text: its split and its labelled spans."""

    n: int
    split: str
    text: str
    spans: tuple[pii.Span, ...]


@dataclass
class Figures:
    """Counts for one group of kinds."""

    labelled: int = 0
    found: int = 0
    right: int = 0
    recalled: int = 0
    covered: int = 0

    @property
    def precision(self) -> float:
        """Return the share of found spans that match a labelled one (1.0 if none found)."""
        return self.right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        """Return the share of labelled spans that a found span overlaps (1.0 if none)."""
        return self.recalled / self.labelled if self.labelled else 1.0


def load_samples(path: Path = SAMPLE) -> list[Sample]:
    """Return the labelled samples stored at *path*."""
    samples = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            spans = tuple(pii.Span(start, end, kind) for kind, start, end in row["spans"])
            split = "dev" if row["n"] % 2 == 0 else "holdout"
            samples.append(Sample(row["n"], split, row["text"], spans))
    return samples


_BASELINE = [
    (pii.NIK, re.compile(r"\b\d{16}\b")),
    (pii.PHONE, re.compile(r"\b08\d{8,11}\b")),
    (pii.EMAIL, re.compile(r"\b[\w.]+@[\w.]+\.\w+\b")),
    (pii.PLATE, re.compile(r"\b[A-Z]{1,2} ?\d{1,4} ?[A-Z]{1,3}\b")),
    (pii.ADDRESS, re.compile(r"\b(?:jl|jalan)\.? \w+ no\.? ?\d+|\brt \d+ ?/? ?rw \d+", re.I)),
    (pii.NAME, re.compile(r"\b(?:bapak|pak|ibu|bu|nama)\s+(\w+)", re.I)),
]


def baseline_find(text: str) -> list[pii.Span]:
    """Return the spans a naive set of regular expressions finds (the baseline)."""
    spans = []
    for kind, pattern in _BASELINE:
        for m in pattern.finditer(text):
            group = 1 if pattern.groups else 0
            spans.append(pii.Span(m.start(group), m.end(group), kind))
    return spans


def _overlaps(a: pii.Span, b: pii.Span) -> bool:
    return a.start < b.end and b.start < a.end and GROUPS[a.kind] == GROUPS[b.kind]


def measure(
    samples: list[Sample], finder: Callable[[str], list[pii.Span]] = pii.find
) -> dict[str, Figures]:
    """Return the figures of *finder* over *samples*, per group of kinds."""
    figures = {group: Figures() for group in set(GROUPS.values())}
    for sample in samples:
        found = finder(sample.text)
        for span in sample.spans:
            fig = figures[GROUPS[span.kind]]
            fig.labelled += 1
            fig.recalled += any(_overlaps(span, f) for f in found)
            fig.covered += any(
                f.start <= span.start and span.end <= f.end and _overlaps(span, f) for f in found
            )
        for span in found:
            fig = figures[GROUPS[span.kind]]
            fig.found += 1
            fig.right += any(_overlaps(span, s) for s in sample.spans)
    return figures


def evaluate(samples: list[Sample]) -> dict[str, dict[str, dict[str, Figures]]]:
    """Return the figures of the detector and of the baseline, per split and over all."""
    splits = {
        "dev": [s for s in samples if s.split == "dev"],
        "holdout": [s for s in samples if s.split == "holdout"],
        "all": samples,
    }
    return {
        name: {"detector": measure(part), "baseline": measure(part, baseline_find)}
        for name, part in splits.items()
    }


def report(results: dict) -> list[str]:
    """Return the figures as lines of a table."""
    lines = ["split    method    kind      labelled  found  precision  recall  covered"]
    for split, methods in results.items():
        for method, figures in methods.items():
            for group in (*REPORTED, "number"):
                f = figures[group]
                if not f.labelled and not f.found:
                    continue
                covered = f.covered / f.labelled if f.labelled else 1.0
                lines.append(
                    f"{split:<8} {method:<9} {group:<9} {f.labelled:>8} {f.found:>6} "
                    f"{f.precision:>10.3f} {f.recall:>7.3f} {covered:>8.3f}"
                )
    return lines
