"""Insights text tools on the Surabaya set: texts per second against a str.lower().split() floor.

    .venv/bin/python bench/insights.py                     # every section
    .venv/bin/python bench/insights.py normalize urgency   # some sections
    .venv/bin/python bench/insights.py --data ../shared/data --repeat 5

Each section times its product path over all 10,809 complaint texts and, in the same run, the
floor: ``text.lower().split()`` over the same texts (the least any tokeniser must do). Every
pass is repeated (``--repeat``, default 3) and the best is kept, so other work on the machine
disturbs the figures less. Results go to ``bench/results/insights-<timestamp>.json``.

Sections (a name: a function that takes the texts and returns its figures); add yours to
SECTIONS.

* ``normalize``: ``normalized()`` (no stemming), then ``tokens()`` on an empty stem cache (the
  first pass stems every distinct word with Sastrawi) and again warm.
* ``urgency``: ``urgency.assess()`` per text, with the p50/p99 time of one text (best of
  three per text: what a report's submission pays).
"""

import argparse
import csv
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

from tanggap.insights import normalize, urgency  # noqa: E402

SURABAYA = "surabaya-mediacenter-aduan/complaints.csv"


def load(data: Path) -> list[str]:
    """Return the Surabaya complaint texts (the export writes some line breaks as a literal \\n)."""
    with (data / SURABAYA).open(encoding="utf-8", newline="") as f:
        return [row["keluhan"].replace("\\n", "\n") for row in csv.DictReader(f)]


def best_of(repeat: int, run) -> float:
    """Return the shortest of *repeat* timed calls of *run*, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def floor(texts: list[str], repeat: int) -> float:
    return best_of(repeat, lambda: [t.lower().split() for t in texts])


def rate(texts: list[str], seconds: float) -> float:
    return round(len(texts) / seconds)


def section_normalize(texts: list[str], repeat: int) -> dict:
    base = floor(texts, repeat)
    normal = best_of(repeat, lambda: [normalize.normalized(t) for t in texts])
    normalize.stem.cache_clear()
    started = time.perf_counter()
    for t in texts:
        normalize.tokens(t)
    cold = time.perf_counter() - started
    warm = best_of(repeat, lambda: [normalize.tokens(t) for t in texts])
    return {
        "texts": len(texts),
        "floor_per_s": rate(texts, base),
        "normalized_per_s": rate(texts, normal),
        "tokens_cold_per_s": rate(texts, cold),
        "tokens_warm_per_s": rate(texts, warm),
        "distinct_stems": normalize.stem.cache_info().currsize,
        "normalized_vs_floor": round(normal / base, 1),
        "tokens_warm_vs_floor": round(warm / base, 1),
        "tokens_cold_vs_floor": round(cold / base, 1),
    }


def section_urgency(texts: list[str], repeat: int) -> dict:
    base = floor(texts, repeat)
    whole = best_of(repeat, lambda: [urgency.assess(t) for t in texts])
    each = []
    flagged = 0
    for t in texts:
        flagged += urgency.assess(t).is_urgent
        # The best of three per text: one text's cost, without the machine's other work.
        each.append(best_of(3, lambda t=t: urgency.assess(t)))
    cuts = statistics.quantiles(each, n=100)
    return {
        "texts": len(texts),
        "flagged_urgent": flagged,
        "floor_per_s": rate(texts, base),
        "assess_per_s": rate(texts, whole),
        "assess_vs_floor": round(whole / base, 1),
        "one_text_p50_ms": round(cuts[49] * 1000, 3),
        "one_text_p99_ms": round(cuts[98] * 1000, 3),
        "one_text_max_ms": round(max(each) * 1000, 3),
    }


SECTIONS = {"normalize": section_normalize, "urgency": section_urgency}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sections", nargs="*", help=f"any of {', '.join(SECTIONS)} (default: all)")
    default_data = os.environ.get("TANGGAP_SHARED_DATA") or ROOT.parent / "shared" / "data"
    parser.add_argument("--data", type=Path, default=Path(default_data))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if unknown := set(args.sections) - set(SECTIONS):
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    texts = load(args.data)
    results = {"at": datetime.now().isoformat(timespec="seconds"), "sections": {}}
    for name in args.sections or SECTIONS:
        figures = SECTIONS[name](texts, args.repeat)
        results["sections"][name] = figures
        print(name, json.dumps(figures, indent=2))
    out = ROOT / "bench" / "results" / f"insights-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
