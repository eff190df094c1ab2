"""Measure ``urgency`` on the labelled sample: precision and recall per split (pure).

The sample (``tests/data/urgency_sample.csv``, described in the README beside it) holds masked
excerpts of real complaints labelled by hand. "dev" rows were used to tune the cues, "holdout"
rows only to measure them. A one-keyword baseline (any danger word at all) shows what the
weighting and the context rules add.
"""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from .normalize import normalized
from .urgency import assess

SAMPLE = Path(__file__).resolve().parent / "tests" / "data" / "urgency_sample.csv"

# The broad danger words the sample was drawn with: flag a text if any of them appears.
_KEYWORDS = re.compile(
    r"\b(?:kebakaran|terbakar|meledak|banjir|longsor|tenggelam|hanyut|kecelakaan|tabrak|"
    r"tumbang|roboh|ambruk|runtuh|menimpa|tertimpa|kesetrum|tersengat|putus|hilang|diculik|"
    r"aniaya|dianiaya|dikeroyok|dibacok|ditusuk|begal|ancam|mengancam|diancam|kekerasan|"
    r"tawuran|mengamuk|pingsan|kritis|pendarahan|korban|luka|meninggal|darurat|bahaya|"
    r"membahayakan|nyawa)\b"
)


@dataclass(frozen=True)
class Sample:
    """One labelled text of the sample."""

    n: int
    split: str
    source: str
    urgent: bool
    reason: str
    text: str


@dataclass(frozen=True)
class Figures:
    """Confusion counts of one run over some samples."""

    samples: int
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def positives(self) -> int:
        """Return the number of samples labelled urgent."""
        return self.true_positives + self.false_negatives

    @property
    def precision(self) -> float:
        """Return the share of flagged samples that are labelled urgent (1.0 if none flagged)."""
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        """Return the share of urgent samples that were flagged (1.0 if none are urgent)."""
        return self.true_positives / self.positives if self.positives else 1.0


def load_samples(path: Path = SAMPLE) -> list[Sample]:
    """Return the labelled samples stored at *path* (the CSV beside the tests by default)."""
    with path.open(encoding="utf-8", newline="") as f:
        return [
            Sample(
                n=int(row["n"]),
                split=row["split"],
                source=row["source"],
                urgent=row["label"] == "1",
                reason=row["reason"],
                text=row["text"],
            )
            for row in csv.DictReader(f)
        ]


def detector_flags(text: str) -> bool:
    """Return whether ``urgency`` flags *text* as urgent."""
    return assess(text).is_urgent


def keyword_flags(text: str) -> bool:
    """Return whether *text* holds any danger word at all (the baseline)."""
    return bool(_KEYWORDS.search(normalized(text)))


def measure(samples: list[Sample], flags=detector_flags) -> Figures:
    """Return the confusion counts of *flags* over *samples*."""
    tp = fp = fn = 0
    for sample in samples:
        flagged = flags(sample.text)
        tp += flagged and sample.urgent
        fp += flagged and not sample.urgent
        fn += sample.urgent and not flagged
    return Figures(len(samples), tp, fp, fn)


def evaluate(samples: list[Sample]) -> dict[str, dict[str, Figures]]:
    """Return the figures of the detector and of the baseline, per split and over all."""
    splits = {
        "dev": [s for s in samples if s.split == "dev"],
        "holdout": [s for s in samples if s.split == "holdout"],
        "all": samples,
    }
    return {
        name: {"detector": measure(part), "keyword baseline": measure(part, keyword_flags)}
        for name, part in splits.items()
    }
