"""Evaluate the insights tools on the shared test data: ``insights_evaluate <tool> [options]``.

Each tool is a subcommand with its own options; it prints its figures (and may write them as
JSON). The shared data is read from --data (default: $TANGGAP_SHARED_DATA, else ``shared/data``
beside the checkout) and never copied anywhere.
"""

import json
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def default_data_dir() -> Path:
    """Return the shared data folder: $TANGGAP_SHARED_DATA, else ../shared/data."""
    return Path(
        os.environ.get("TANGGAP_SHARED_DATA") or settings.BASE_DIR.parent / "shared" / "data"
    )


def _duplicates_arguments(parser) -> None:
    parser.add_argument("--sets", nargs="+", default=["surabaya", "bandung"])
    parser.add_argument("--sample", type=int, default=500, help="reports asking for precision")
    parser.add_argument("--seed", type=int, default=1)


def _duplicates(command, options) -> dict:
    from tanggap.insights import duplicate_evaluation as ev

    results = {}
    for name in options["sets"]:
        if name not in ev.SETS:
            raise CommandError(f"Unknown set {name!r}: choose from {', '.join(ev.SETS)}.")
        relative, load = ev.SETS[name]
        path = options["data"] / relative
        if not path.exists():
            raise CommandError(f"{path} is missing: pass --data.")
        started = time.perf_counter()
        replay = ev.Replay(load(path))
        indexed = time.perf_counter() - started
        out = {"reports": len(replay.rows), "index_seconds": round(indexed, 2)}
        out["recall"] = [
            ev.recall(replay, variant=v, seed=options["seed"])
            for v in ("exact", "retyped", "summary")
        ]
        out["precision"] = ev.precision(replay, sample=options["sample"], seed=options["seed"])
        results[name] = out
        _print_duplicates(command, name, out)
    return results


def _print_duplicates(command, name: str, out: dict) -> None:
    write = command.stdout.write
    write(f"\n{name}: {out['reports']} reports, indexed in {out['index_seconds']} s")
    write("  query     groups  recall@5  in a shared band  ms/query")
    for r in out["recall"]:
        write(
            f"  {r['variant']:<9} {r['groups']:>6}  {r['recall_at_5']:>8.3f}  "
            f"{r['band_recall']:>16.3f}  {r['ms_per_query']:>8.2f}"
        )
    p = out["precision"]
    write(f"  top-1 precision, {p['sample']} sampled reports (same text = right; a lower bound):")
    for threshold, row in p["thresholds"].items():
        value = "-" if row["precision"] is None else f"{row['precision']:.3f}"
        write(f"    similarity >= {threshold:.1f}: {row['above']:>4} above, precision {value}")


def _urgency_arguments(parser) -> None:
    parser.add_argument("--sample", type=Path, help="the labelled CSV (default: the tests')")


def _urgency(command, options) -> dict:
    from tanggap.insights import urgency_evaluation as ev

    samples = ev.load_samples(options["sample"] or ev.SAMPLE)
    results = {}
    command.stdout.write("split     method            texts  urgent  flagged  precision  recall")
    for split, methods in ev.evaluate(samples).items():
        for method, f in methods.items():
            flagged = f.true_positives + f.false_positives
            command.stdout.write(
                f"{split:<9} {method:<17} {f.samples:>5}  {f.positives:>6}  {flagged:>7}  "
                f"{f.precision:>9.2f}  {f.recall:>6.2f}"
            )
            results.setdefault(split, {})[method] = f.__dict__ | {
                "precision": f.precision,
                "recall": f.recall,
            }
    return results


def _classifier_arguments(parser) -> None:
    parser.add_argument(
        "--file", type=Path, help="the complaints CSV (default: the Surabaya set under --data)"
    )
    parser.add_argument("--label", default="instansi", help="the column to predict")
    parser.add_argument("--test-fraction", type=float, default=0.2)


def _classifier(command, options) -> dict:
    from tanggap.insights import evaluation as ev

    path = options["file"] or options["data"] / ev.SURABAYA
    if not path.exists():
        raise CommandError(f"{path} is missing: pass --file or --data.")
    examples = ev.load_surabaya(path, label=options["label"])
    train, test = ev.time_split(examples, test_fraction=options["test_fraction"])
    results = ev.evaluate(train, test)
    for line in ev.report_lines(results):
        command.stdout.write(line)
    return results


# name: (help, add the options, run and return the figures)
TOOLS = {
    "classifier": (
        "macro-F1 and top-3 accuracy of the suggestions, split by time, against baselines",
        _classifier_arguments,
        _classifier,
    ),
    "urgency": (
        "precision and recall of the urgency flag on the labelled sample in the tests",
        _urgency_arguments,
        _urgency,
    ),
    "duplicates": (
        "recall@5 on the exact re-submission groups, precision of the first match",
        _duplicates_arguments,
        _duplicates,
    ),
}


class Command(BaseCommand):
    help = "Evaluate an insights tool on the shared test data and print its figures."

    def add_arguments(self, parser):
        tools = parser.add_subparsers(dest="tool", required=True)
        for name, (text, arguments, _run) in TOOLS.items():
            sub = tools.add_parser(name, help=text)
            sub.add_argument("--data", type=Path, default=default_data_dir())
            sub.add_argument("--json", type=Path, help="also write the figures to this file")
            arguments(sub)

    def handle(self, *args, **options):
        _help, _arguments, run = TOOLS[options["tool"]]
        results = run(self, options)
        if options.get("json"):
            options["json"].write_text(json.dumps(results, indent=2, default=str))
