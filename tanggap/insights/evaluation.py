"""Measure the suggestion classifier against a majority and a keyword baseline.

The split is by time, never random: the model learns from the older months and is asked
about the newest ones, as it will be in service. Figures: macro-F1 and accuracy of the first
suggestion, top-3 accuracy (the true label among the three suggested), training time and the
time to suggest for one report. Test rows are read from a file and never leave the process;
nothing but figures is returned.
"""

import csv
import math
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

from . import classifier, normalize

SURABAYA = Path("surabaya-mediacenter-aduan") / "complaints.csv"
FLOORS = (0.1, 0.2, 0.3, 0.5)


@dataclass(frozen=True)
class Example:
    """One labelled text and when it was written (sortable, e.g. ISO 8601)."""

    at: str
    text: str
    label: str


def load_surabaya(path: Path, *, label: str = "instansi") -> list[Example]:
    """Return the rows of the Surabaya complaints file with a text and a label, oldest first."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            Example(row["tanggal_keluhan"], row["keluhan"], row[label].strip())
            for row in csv.DictReader(handle)
            if row["keluhan"].strip() and row[label].strip()
        ]
    return sorted(rows, key=lambda e: e.at)


def time_split(
    examples: Sequence[Example], *, test_fraction: float = 0.2
) -> tuple[list[Example], list[Example]]:
    """Split at the month boundary that leaves closest to *test_fraction* newest examples.

    *examples* must be sorted by time and their ``at`` start with YYYY-MM.
    """
    months = sorted({e.at[:7] for e in examples})
    if len(months) < 2:
        cut = round(len(examples) * (1 - test_fraction))
        return list(examples[:cut]), list(examples[cut:])
    target = len(examples) * test_fraction
    best = min(months[1:], key=lambda m: abs(sum(e.at[:7] >= m for e in examples) - target))
    return [e for e in examples if e.at[:7] < best], [e for e in examples if e.at[:7] >= best]


class MajorityBaseline:
    """Always suggest the most common labels of the training set."""

    def __init__(self, labels: Sequence[str]):
        self.order = [label for label, _n in Counter(labels).most_common()]

    def rank(self, text: str, k: int = 3) -> list[str]:
        return self.order[:k]


class KeywordBaseline:
    """Suggest the labels whose most distinctive training words the text contains.

    Per label with at least *min_count* reports, the *per_label* words (normalised and
    stemmed, as the model sees them) with the highest weight: the share of the reports with
    the word that carry the label, times the log of how many of them do (a word of one
    report is no keyword). A text scores each label by the summed weights of its keywords;
    ties and texts without any keyword go by label frequency. (Tried on the older months
    only: a log-odds weight favoured rare labels and fell below the majority baseline.)
    """

    def __init__(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        per_label: int = 20,
        min_count: int = 5,
    ):
        counts = Counter(labels)
        self.order = [label for label, _n in counts.most_common()]
        self.position = {label: i for i, label in enumerate(self.order)}
        df_in: dict[str, Counter] = defaultdict(Counter)
        df_all: Counter = Counter()
        for text, label in zip(texts, labels, strict=True):
            words = set(normalize.tokens(text))
            df_in[label].update(words)
            df_all.update(words)
        self.index: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for label, n in counts.items():
            if n < min_count:
                continue
            weights = {
                word: df / (df_all[word] + 1) * math.log(1 + df)
                for word, df in df_in[label].items()
                if df >= 2
            }
            for word, weight in sorted(weights.items(), key=lambda kv: -kv[1])[:per_label]:
                self.index[word].append((label, weight))

    def rank(self, text: str, k: int = 3) -> list[str]:
        scores: Counter = Counter()
        for word in set(normalize.tokens(text)):
            for label, weight in self.index.get(word, ()):
                scores[label] += weight
        found = sorted(scores, key=lambda label: (-scores[label], self.position[label]))[:k]
        return found + [label for label in self.order if label not in found][: k - len(found)]


def figures(truth: Sequence[str], ranked: Sequence[Sequence[str]]) -> dict:
    """Return macro-F1 and accuracy of the first label, and top-3 accuracy."""
    first = [r[0] if r else "" for r in ranked]
    return {
        "macro_f1": round(float(f1_score(truth, first, average="macro", zero_division=0)), 4),
        "accuracy": round(float(np.mean([y == f for y, f in zip(truth, first, strict=True)])), 4),
        "top3_accuracy": round(
            float(np.mean([y in r[:3] for y, r in zip(truth, ranked, strict=True)])), 4
        ),
    }


def _percentile(values: Sequence[float], q: float) -> float:
    return round(float(np.percentile(values, q)) * 1000, 2)


def evaluate(
    train: Sequence[Example],
    test: Sequence[Example],
    *,
    policy: classifier.Policy | None = None,
    latency_sample: int = 500,
) -> dict:
    """Fit the classifier on *train*, ask it about *test*; the same for both baselines."""
    policy = policy or classifier.Policy()
    texts, labels = [e.text for e in train], [e.label for e in train]
    truth = [e.label for e in test]
    started = time.perf_counter()
    pipeline = classifier.fit_pipeline(texts, labels, policy)
    training_seconds = time.perf_counter() - started
    top = classifier.predict_top(pipeline, [e.text for e in test], k=3)
    model = figures(truth, [[p.label for p in ps] for ps in top])
    model["floors"] = _floors(truth, top)
    latencies = []
    for example in test[:latency_sample]:
        started = time.perf_counter()
        classifier.predict_top(pipeline, [example.text], k=3)
        latencies.append(time.perf_counter() - started)
    keyword = KeywordBaseline(texts, labels, min_count=policy.min_per_class)
    majority = MajorityBaseline(labels)
    known = Counter(labels)
    return {
        "train": len(train),
        "test": len(test),
        "train_period": [train[0].at[:10], train[-1].at[:10]] if train else [],
        "test_period": [test[0].at[:10], test[-1].at[:10]] if test else [],
        "labels_train": len(known),
        "labels_learnt": len(classifier.suggestible_labels(pipeline)),
        "labels_test": len(set(truth)),
        # Test reports whose label the model cannot suggest (rare or unseen in training).
        "unreachable": round(float(np.mean([known[y] < policy.min_per_class for y in truth])), 4),
        "model": model,
        "majority": figures(truth, [majority.rank("") for _ in truth]),
        "keyword": figures(truth, [keyword.rank(e.text) for e in test]),
        "training_seconds": round(training_seconds, 2),
        "latency_ms": {
            "reports": len(latencies),
            "p50": _percentile(latencies, 50),
            "p95": _percentile(latencies, 95),
        },
    }


def _floors(truth: Sequence[str], top: Sequence[Sequence[classifier.Prediction]]) -> list[dict]:
    """Return, per confidence floor, how many reports get a suggestion and how right it is.

    coverage: the share with at least one suggestion shown; accuracy_shown: the first one is
    right, among those; hit_in_shown: the true label is among those shown, of all reports.
    """
    out = []
    for floor in FLOORS:
        shown = [[p.label for p in ps if p.confidence >= floor] for ps in top]
        pairs = list(zip(truth, shown, strict=True))
        with_any = [(y, s) for y, s in pairs if s]
        out.append(
            {
                "floor": floor,
                "coverage": _share(bool(s) for _y, s in pairs),
                "accuracy_shown": _share(y == s[0] for y, s in with_any) if with_any else None,
                "hit_in_shown": _share(y in s for y, s in pairs),
                "mean_shown": round(float(np.mean([len(s) for s in shown] or [0])), 2),
            }
        )
    return out


def _share(flags) -> float:
    flags = list(flags)
    return round(sum(flags) / len(flags), 4) if flags else 0.0


def report_lines(results: dict) -> list[str]:
    """Return the figures of evaluate() as lines to print."""
    r = results
    lines = [
        f"train {r['train']} reports ({' to '.join(r['train_period'])}), "
        f"test {r['test']} ({' to '.join(r['test_period'])})",
        f"labels: {r['labels_train']} in training, {r['labels_learnt']} learnt, "
        f"{r['labels_test']} in test; {r['unreachable']:.1%} of test reports have a label "
        "the model cannot suggest",
        "                   macro-F1  accuracy  top-3 accuracy",
    ]
    for name, key in (("majority class", "majority"), ("keywords", "keyword"), ("model", "model")):
        f = r[key]
        lines.append(
            f"  {name:<15} {f['macro_f1']:>9.3f} {f['accuracy']:>9.3f} {f['top3_accuracy']:>15.3f}"
        )
    lines.append("  confidence floor  reports shown  first right (of shown)  right among shown")
    for f in r["model"]["floors"]:
        shown = "-" if f["accuracy_shown"] is None else f"{f['accuracy_shown']:.3f}"
        lines.append(
            f"  {f['floor']:>16.2f} {f['coverage']:>14.1%} {shown:>23} {f['hit_in_shown']:>18.3f}"
        )
    lat = r["latency_ms"]
    lines.append(
        f"training {r['training_seconds']} s; suggestion for one report: p50 {lat['p50']} ms, "
        f"p95 {lat['p95']} ms ({lat['reports']} reports)"
    )
    return lines
