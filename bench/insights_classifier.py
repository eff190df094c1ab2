"""Suggestion classifier on the whole Surabaya set: training time, model size, latency.

    .venv/bin/python bench/insights_classifier.py [--file complaints.csv] [--reports 1000]

The product's nightly path, ``classifier.fit`` (fit on the older 80 %, measure on the newest
20 %, refit on everything), is timed on all 10,809 texts with their agency (``instansi``),
and one ``classifier.fit_pipeline`` alone; then one suggestion (``predict_top`` on one text,
what the case page pays once the model is loaded) for each of ``--reports`` texts, and the
unpickling of the stored bytes (what a worker pays once per model). Floors in the same run:
``text.lower().split()`` and the warm ``normalize.tokens()`` of the same texts. Macro-F1 and
top-3 accuracy on the split by time come from ``manage.py insights_evaluate classifier``.
Results go to ``bench/results/insights-classifier-<timestamp>.json``.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from tanggap.insights import classifier, evaluation, normalize  # noqa: E402


def parse_args():
    """Read the command line."""
    shared = Path(os.environ.get("TANGGAP_SHARED_DATA") or ROOT.parent / "shared" / "data")
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--file", type=Path, default=shared / evaluation.SURABAYA)
    p.add_argument("--label", default="instansi")
    p.add_argument("--reports", type=int, default=1000, help="texts asked one at a time")
    return p.parse_args()


def quantiles(seconds: list[float]) -> dict:
    """Return p50, p95 and p99 of *seconds* in milliseconds."""
    q = statistics.quantiles(seconds, n=100, method="inclusive")
    return {
        "n": len(seconds),
        "p50_ms": q[49] * 1000,
        "p95_ms": q[94] * 1000,
        "p99_ms": q[98] * 1000,
    }


def timed(fn):
    """Return (fn's result, seconds it took)."""
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def per_text(fn, texts) -> list[float]:
    """Return the seconds of fn(text) for each text."""
    out = []
    for text in texts:
        started = time.perf_counter()
        fn(text)
        out.append(time.perf_counter() - started)
    return out


def main():
    args = parse_args()
    if not args.file.exists():
        sys.exit(f"{args.file} is missing: pass --file.")
    examples = evaluation.load_surabaya(args.file, label=args.label)
    texts, labels = [e.text for e in examples], [e.label for e in examples]
    _, split_floor = timed(lambda: [t.lower().split() for t in texts])
    _, cold_tokens = timed(lambda: [normalize.tokens(t) for t in texts])
    _, warm_tokens = timed(lambda: [normalize.tokens(t) for t in texts])
    fitted, nightly = timed(lambda: classifier.fit(texts, labels))
    _, one_fit = timed(lambda: classifier.fit_pipeline(texts, labels))
    payload = classifier.dumps(fitted.pipeline)
    loads = [timed(lambda: classifier.loads(payload))[1] for _ in range(3)]
    asked = texts[-args.reports :]
    pipeline = fitted.pipeline
    suggest = per_text(lambda t: classifier.predict_top(pipeline, [t], k=3), asked)
    tokens = per_text(normalize.tokens, asked)
    results = {
        "texts": len(texts),
        "labels": len(set(labels)),
        "labels_learnt": len(fitted.labels),
        "floor_split_seconds": split_floor,
        "tokens_cold_seconds": cold_tokens,
        "tokens_warm_seconds": warm_tokens,
        "training_nightly_seconds": nightly,
        "training_one_fit_seconds": one_fit,
        "training_nightly_x_tokens_warm": nightly / warm_tokens,
        "holdout": fitted.metrics,
        "payload_bytes": len(payload),
        "load_seconds_best": min(loads),
        "suggestion": quantiles(suggest),
        "tokens_one_text": quantiles(tokens),
        "suggestion_p50_x_tokens_p50": statistics.median(suggest) / statistics.median(tokens),
    }
    out = ROOT / "bench" / "results" / f"insights-classifier-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    s, t = results["suggestion"], results["tokens_one_text"]
    print(f"{len(texts)} texts, {len(set(labels))} agencies ({len(fitted.labels)} learnt)")
    print(
        f"floors: split {split_floor:.2f} s, tokens() cold {cold_tokens:.1f} s, "
        f"warm {warm_tokens:.2f} s"
    )
    print(
        f"training: nightly fit (holdout + refit) {nightly:.1f} s "
        f"({nightly / warm_tokens:.0f}x warm tokens), one fit {one_fit:.1f} s"
    )
    m = fitted.metrics
    print(
        f"held out (newest {m['holdout_size']}): macro-F1 {m['macro_f1']:.3f}, accuracy "
        f"{m['accuracy']:.3f}, top-3 {m['top3_accuracy']:.3f}, "
        f"most common {m['majority_accuracy']:.3f}"
    )
    print(f"model: {len(payload) / 1e6:.1f} MB stored, unpickled in {min(loads) * 1000:.0f} ms")
    print(
        f"one suggestion: p50 {s['p50_ms']:.1f} ms, p95 {s['p95_ms']:.1f} ms, "
        f"p99 {s['p99_ms']:.1f} ms; tokens() alone p50 {t['p50_ms']:.2f} ms "
        f"(suggestion {results['suggestion_p50_x_tokens_p50']:.0f}x)"
    )
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
