"""Turning measures into labelled rows, headline figures and the open-data document."""

import csv
import io
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tanggap.cases.choices import CaseStatus, Channel, ReportKind

from .measures import SMALL_CELL, Measures, suppressed
from .periods import Period
from .selectors import Ikm, category_names

STEPS = ("verified", "replied", "resolved")
DURATIONS = {"verified": "verify_hours", "replied": "reply_hours", "resolved": "resolve_hours"}
_VOCABULARIES = {"kinds": ReportKind, "channels": Channel, "statuses": CaseStatus}


def step_names() -> dict[str, str]:
    """Return the translated name of each measured step."""
    return {
        "verified": _("Verification"),
        "replied": _("First reply"),
        "resolved": _("Resolution"),
    }


def step_rows(figures: dict, delta: dict) -> list[dict]:
    """Return per step its name, count, on-time share and median, with their changes."""
    names = step_names()
    return [
        {
            "name": names[step],
            "count": figures[f"{step}_count"],
            "on_time": figures[f"{step}_on_time"],
            "on_time_change": delta.get(f"{step}_on_time"),
            "median": figures[f"{step}_median_hours"],
            "median_change": delta.get(f"{step}_median_hours"),
        }
        for step in STEPS
    ]


def labels(name: str, keys) -> dict[str, str]:
    """Return the translated label of each key of breakdown *name*."""
    if name == "categories":
        names = category_names(keys)
        return {key: names.get(key) or _("No category") for key in keys}
    if name == "ratings":
        return {key: key for key in keys}
    vocabulary = _VOCABULARIES[name]
    return {key: vocabulary(key).label if key in vocabulary.values else key for key in keys}


def breakdown(measures: Measures, name: str, *, public: bool = False) -> list[dict]:
    """Return a breakdown's rows (key, label, count), largest first; public: small cells hidden."""
    counts = dict(measures.breakdowns[name])
    if name == "ratings":
        counts = {str(r): counts.get(str(r), 0) for r in range(5, 0, -1)}
    shown = suppressed(counts) if public else dict(counts)
    names = labels(name, counts.keys())
    rows = [{"key": k, "label": names[k], "count": shown[k], "raw": n} for k, n in counts.items()]
    if name != "ratings":
        rows.sort(key=lambda r: (-r["raw"], r["label"]))
    return [{k: v for k, v in row.items() if k != "raw"} for row in rows]


def hours_text(hours: float | None) -> str:
    """Say a duration in hours, or in days when it is two days or more."""
    if hours is None:
        return "–"
    if hours < 48:
        return ngettext("%(n)s hour", "%(n)s hours", round(hours)) % {
            "n": formats.number_format(hours, 1)
        }
    days = hours / 24
    return ngettext("%(n)s day", "%(n)s days", round(days)) % {"n": formats.number_format(days, 1)}


def percent_text(share: float | None) -> str:
    """Say a share as a percentage with one decimal."""
    return "–" if share is None else f"{formats.number_format(share * 100, 1)}%"


def headline(measures: Measures, ikm: Ikm | None = None, *, public: bool = False) -> dict:
    """Return the period's main figures as numbers; figures on too few cases are None if public."""
    small = SMALL_CELL if public else 1

    def enough(n: int, value):
        return value if n >= small else None

    counts = measures.counts
    figures = {"received": counts["received"], "closed": counts["closed"]}
    figures["confidential"] = None if public else counts["confidential"]
    figures["delayed"] = counts["delayed"]
    for step in STEPS:
        figures[f"{step}_count"] = counts[step]
        figures[f"{step}_on_time"] = enough(counts[step], measures.on_time(step))
        figures[f"{step}_median_hours"] = enough(
            counts[step], measures.median_hours(DURATIONS[step])
        )
    figures["rated"] = measures.rated
    figures["rating_average"] = enough(measures.rated, measures.rating_average)
    figures["accepted_share"] = enough(measures.rated, measures.accepted_share)
    figures["ikm"] = figures["ikm_grade"] = None
    figures["respondents"] = ikm.respondents if ikm else 0
    if ikm and ikm.result and ikm.respondents >= small:
        figures["ikm"], figures["ikm_grade"] = ikm.result.rounded, ikm.result.grade
    return figures


def change(current: dict, before: dict) -> dict:
    """Return the difference of each numeric headline figure against the previous period."""
    result = {}
    for key, value in current.items():
        old = before.get(key)
        if isinstance(value, int | float | Decimal) and isinstance(old, int | float | Decimal):
            result[key] = value - old
    return result


def _number(value):
    if isinstance(value, Decimal):
        return float(value)
    return round(value, 4) if isinstance(value, float) else value


def open_data(unit, period: Period, measures: Measures, ikm: Ikm) -> dict:
    """Return the public statistics of a unit and period: counts only, no text, no person."""
    figures = headline(measures, ikm, public=True)
    figures.pop("confidential")
    document = {
        "unit": {"id": unit.pk, "name": unit.name, "organisation": unit.organisation.name},
        "period": {
            "code": period.key,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "small_cell_rule": (
            f"Breakdown counts from 1 to {SMALL_CELL - 1} are null, with the next smallest when "
            f"only one is; shares, medians and averages over fewer than {SMALL_CELL} are null."
        ),
        "figures": {key: _number(value) for key, value in figures.items()},
    }
    for name, label in (
        ("kinds", "by_kind"),
        ("channels", "by_channel"),
        ("categories", "by_category"),
        ("statuses", "by_status"),
        ("ratings", "ratings"),
    ):
        document[label] = {
            row["label"] if name == "categories" else row["key"]: row["count"]
            for row in breakdown(measures, name, public=True)
        }
    return document


def open_data_csv(document: dict) -> str:
    """Return the open-data document as CSV rows: measure, item, value (empty = hidden)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["unit_id", "unit", "period", "measure", "item", "value"])
    head = [document["unit"]["id"], document["unit"]["name"], document["period"]["code"]]
    for key, value in document["figures"].items():
        writer.writerow([*head, key, "", "" if value is None else value])
    for measure in ("by_kind", "by_channel", "by_category", "by_status", "ratings"):
        for item, value in document[measure].items():
            writer.writerow([*head, measure, _csv_text(item), "" if value is None else value])
    return out.getvalue()


def _csv_text(value: str) -> str:
    """Keep a spreadsheet from reading a name as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
