"""Compute the IKM of a CSV or XLSX file of SKM answers and print it as JSON.

An operator tool for checking results collected elsewhere: it reads the file with
``tanggap.surveys.spreadsheet`` and computes with ``tanggap.surveys.index``, the same
code the platform uses, and stores nothing. Messages are plain English on purpose
(not translated): the command is for operators, not for citizens.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tanggap.surveys import index, spreadsheet
from tanggap.surveys.elements import ELEMENT_KEYS


class Command(BaseCommand):
    help = (
        "Compute the SKM index (IKM, PermenPAN-RB 14/2017) of a CSV or XLSX file with one row "
        "per respondent and one column per element key (persyaratan, prosedur, waktu, biaya, "
        "produk, kompetensi, perilaku, pengaduan, sarana; blank = unanswered; other columns "
        "are ignored) and print it as JSON. Nothing is stored."
    )
    # Reads a file and touches no database: the system checks (which query it) are not needed.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV (',' or ';' separated) or XLSX file.")
        parser.add_argument(
            "--weights",
            choices=tuple(index.WEIGHT_VALUES),
            default="equal",
            help=(
                "Element weights: 'equal' (exactly 1/9, the default) or a legacy printed "
                "approximation (0.111 or 0.11), which gives results about 1%% low."
            ),
        )
        parser.add_argument(
            "--allow-missing",
            action="store_true",
            help=(
                "Compute over the answered elements only when an element has no answers "
                "(the result lists them in missing_elements; it is not a full IKM)."
            ),
        )

    def handle(self, *args, file, weights="equal", allow_missing=False, **options):
        try:
            answers = spreadsheet.read_answers(file)
        except spreadsheet.SpreadsheetError as exc:
            raise CommandError(str(exc)) from exc
        try:
            result = index.compute(answers, weights=weights, allow_missing=allow_missing)
        except index.MissingElements as exc:
            raise CommandError(
                f"{file}: no answers for element(s) {', '.join(exc.missing)} (the column is "
                "absent or blank in every row). The IKM needs all nine elements; pass "
                "--allow-missing to compute over the answered ones."
            ) from exc
        except ValueError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        self.stdout.write(json.dumps(_as_json(result, weights), indent=2, ensure_ascii=False))


def _as_json(result: index.IndexResult, weights: str) -> dict:
    """Return the result as JSON-ready data; floats are the unrounded exact values."""
    return {
        "ikm": result.value,
        "ikm_rounded": float(result.rounded),
        "grade": result.grade,
        "grade_label": result.grade_label,
        "grade_label_en": result.grade_label_en,
        "nrr": {
            key: None if result.nrr[key] is None else float(result.nrr[key]) for key in ELEMENT_KEYS
        },
        "respondents": result.respondents,
        "weights": weights,
        "legacy_weights_used": result.legacy_weights_used,
        "missing_elements": list(result.missing_elements),
        "weakest": [key for key, _ in index.rank_weakest(result.nrr)],
    }
