"""Suggest a label for a report's text from an organisation's handled reports (pure).

The pipeline is TF-IDF over word 1-2-grams of the normalised, stemmed text
(``normalize.tokens``) and a linear SVM whose scores are calibrated into probabilities by
cross-validation (sigmoid, three folds). On the Surabaya set this beat logistic regression at a
tenth of its training time; character n-grams added under a point of accuracy for five times
the time (bench/README.md, "Insights"). The coefficients are kept as float32 and the
vocabulary is capped, so a fitted pipeline of 100+ labels is a few megabytes.

Labels are opaque strings (the caller's ids). A label with fewer than ``min_per_class``
examples is merged into OTHER, which is learnt (so its probability mass is honest) but never
suggested. Nothing here reads the database or the network.
"""

import io
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import joblib
import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from . import normalize

OTHER = "__other__"


@dataclass(frozen=True)
class Policy:
    """When there is enough history for a model, and how it is fitted and checked."""

    min_examples: int = 200
    min_per_class: int = 5
    # The newest share of the examples is held out to measure the model before the final fit.
    holdout_fraction: float = 0.2
    # Suggestions below this calibrated probability are not shown.
    floor: float = 0.2
    max_features: int = 20_000
    c: float = 0.5
    folds: int = 3


@dataclass(frozen=True)
class Prediction:
    """One suggested label with its calibrated probability."""

    label: str
    confidence: float


@dataclass
class Fitted:
    """A fitted pipeline, the labels it may suggest and its held-out figures."""

    pipeline: Pipeline
    labels: list[str]
    size: int
    metrics: dict = field(default_factory=dict)


class NotEnoughHistory(Exception):
    """The history cannot give a model worth showing; *code* says why."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def analysed(text: str) -> str:
    """Return the stemmed content words of *text* joined by spaces (the vectoriser's input).

    A named module function, not a lambda: the fitted pipeline refers to it by name.
    """
    return " ".join(normalize.tokens(text))


def build(policy: Policy = Policy()) -> Pipeline:
    """Return an unfitted pipeline: TF-IDF word 1-2-grams and a calibrated linear SVM."""
    vectoriser = TfidfVectorizer(
        preprocessor=analysed,
        tokenizer=str.split,
        token_pattern=None,
        lowercase=False,
        ngram_range=(1, 2),
        min_df=2,
        sublinear_tf=True,
        max_features=policy.max_features,
        dtype=np.float32,
    )
    # ensemble=False: one SVM on all the data, calibrated on the folds' predictions; the
    # ensemble of three kept three times the coefficients and was five times slower to ask.
    model = CalibratedClassifierCV(
        LinearSVC(C=policy.c), method="sigmoid", cv=policy.folds, ensemble=False
    )
    return Pipeline([("tfidf", vectoriser), ("model", model)])


def merge_rare(labels: Sequence[str], min_per_class: int) -> list[str | None]:
    """Return *labels* with the rare ones replaced by OTHER (None when OTHER is rare too).

    None marks an example to leave out: an OTHER class smaller than *min_per_class* cannot
    be calibrated across the folds.
    """
    counts = Counter(labels)
    merged = [label if counts[label] >= min_per_class else OTHER for label in labels]
    if 0 < merged.count(OTHER) < min_per_class:
        return [None if label == OTHER else label for label in merged]
    return merged


def fit_pipeline(
    texts: Sequence[str], labels: Sequence[str], policy: Policy = Policy()
) -> Pipeline:
    """Fit a pipeline on the examples whose label survives merge_rare; refuse one label."""
    # Calibration splits every class across the folds: each needs at least one per fold.
    merged = merge_rare(labels, max(policy.min_per_class, policy.folds))
    kept = [(t, y) for t, y in zip(texts, merged, strict=True) if y is not None]
    suggestible = {y for _t, y in kept} - {OTHER}
    if len(suggestible) < 2 or len(kept) < policy.folds * 2:
        raise NotEnoughHistory(
            "too_few_classes",
            f"{len(suggestible)} labels with at least {policy.min_per_class} examples",
        )
    pipeline = build(policy)
    pipeline.fit([t for t, _y in kept], [y for _t, y in kept])
    _shrink(pipeline)
    return pipeline


def _shrink(pipeline: Pipeline) -> None:
    """Keep the SVM coefficients as float32: half the size, the same rankings."""
    for calibrated in pipeline.named_steps["model"].calibrated_classifiers_:
        svm = calibrated.estimator
        svm.coef_ = svm.coef_.astype(np.float32)


def fit(texts: Sequence[str], labels: Sequence[str], policy: Policy = Policy()) -> Fitted:
    """Measure on the newest examples, then fit on all of them; or raise NotEnoughHistory.

    *texts* and *labels* must be in time order, oldest first: the held-out part is the newest
    ``holdout_fraction``, as the model will be asked about reports newer than its history.
    A model no better than always suggesting the most common label is refused.
    """
    if len(texts) != len(labels):
        raise ValueError("texts and labels differ in length")
    if len(texts) < policy.min_examples:
        raise NotEnoughHistory(
            "too_few_cases", f"{len(texts)} handled reports, {policy.min_examples} needed"
        )
    cut = int(len(texts) * (1 - policy.holdout_fraction))
    trial = fit_pipeline(texts[:cut], labels[:cut], policy)
    metrics = measure(trial, texts[cut:], labels[cut:], floor=policy.floor)
    metrics |= majority_figures(labels[:cut], labels[cut:])
    if metrics["accuracy"] <= metrics["majority_accuracy"]:
        raise NotEnoughHistory(
            "not_better",
            f"accuracy {metrics['accuracy']:.3f}, "
            f"most common label {metrics['majority_accuracy']:.3f}",
        )
    pipeline = fit_pipeline(texts, labels, policy)
    metrics |= {"train_size": cut, "holdout_size": len(texts) - cut}
    return Fitted(
        pipeline=pipeline, labels=suggestible_labels(pipeline), size=len(texts), metrics=metrics
    )


def suggestible_labels(pipeline: Pipeline) -> list[str]:
    """Return the labels a fitted pipeline may suggest (every class but OTHER)."""
    return [str(label) for label in pipeline.classes_ if label != OTHER]


def predict_top(
    pipeline: Pipeline,
    texts: Sequence[str],
    *,
    k: int = 3,
    allowed: Collection[str] | None = None,
) -> list[list[Prediction]]:
    """Return, for each text, its *k* likeliest labels (never OTHER), best first.

    With *allowed*, only those labels are ranked (a unit the officer cannot dispose to, an
    inactive category); the confidences stay the model's probabilities, not re-scaled.
    """
    if not texts:
        return []
    classes = np.asarray(pipeline.classes_, dtype=object)
    usable = classes != OTHER
    if allowed is not None:
        usable &= np.isin(classes, list(allowed))
    probabilities = pipeline.predict_proba(list(texts))
    probabilities[:, ~usable] = -1.0
    k = min(k, int(usable.sum()))
    order = np.argsort(-probabilities, axis=1, kind="stable")[:, :k]
    return [
        [Prediction(str(classes[j]), float(row[j])) for j in ranks]
        for row, ranks in zip(probabilities, order, strict=True)
    ]


def measure(pipeline: Pipeline, texts: Sequence[str], labels: Sequence[str], *, floor: float):
    """Return macro-F1, accuracy, top-3 accuracy and coverage at *floor* on held-out examples.

    The true labels are the raw ones: an example of a label the model cannot suggest counts
    as a miss.
    """
    truth = np.asarray(labels, dtype=object)
    top = predict_top(pipeline, texts, k=3)
    first = np.asarray([p[0].label if p else "" for p in top], dtype=object)
    confidence = np.asarray([p[0].confidence if p else 0.0 for p in top])
    in_three = np.asarray([y in {p.label for p in ps} for y, ps in zip(truth, top, strict=True)])
    shown = confidence >= floor
    return {
        "macro_f1": round(float(f1_score(truth, first, average="macro", zero_division=0)), 4),
        "accuracy": round(float((first == truth).mean()), 4),
        "top3_accuracy": round(float(in_three.mean()), 4),
        "floor": floor,
        "coverage": round(float(shown.mean()), 4),
        "accuracy_shown": round(float((first[shown] == truth[shown]).mean()), 4)
        if shown.any()
        else None,
        "labels": len(suggestible_labels(pipeline)),
    }


def majority_figures(train_labels: Sequence[str], test_labels: Sequence[str]) -> dict:
    """Return accuracy and top-3 accuracy of always suggesting the most common labels."""
    common = [label for label, _n in Counter(train_labels).most_common(3)]
    truth = list(test_labels)
    if not truth:
        return {"majority_accuracy": 0.0, "majority_top3_accuracy": 0.0}
    return {
        "majority_accuracy": round(sum(y == common[0] for y in truth) / len(truth), 4),
        "majority_top3_accuracy": round(sum(y in common for y in truth) / len(truth), 4),
    }


def dumps(pipeline: Pipeline) -> bytes:
    """Return the fitted pipeline as compressed joblib bytes."""
    buffer = io.BytesIO()
    joblib.dump(pipeline, buffer, compress=3)
    return buffer.getvalue()


def loads(payload: bytes) -> Pipeline:
    """Return the pipeline of dumps(); unpickling runs code, so only pass bytes dumps() wrote.

    The caller checks the bytes' signature first (cases.suggestions).
    """
    return joblib.load(io.BytesIO(payload))
