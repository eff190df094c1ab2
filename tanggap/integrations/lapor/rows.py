"""Checking one import row and turning it into a report's values (pure, no database).

Problems are kept as codes with parameters, not sentences, so the dry run is shown in the
language of whoever reads it; `describe` turns one into a translated sentence.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from tanggap.cases.choices import Channel, ReportKind

from .fields import (
    CHANNELS,
    KINDS,
    NO,
    YES,
    ImportFormat,
    Target,
    is_closed_status,
    lapor_channel,
    normal,
)
from .tabular import looks_like_formula

TITLE_MAX = 200
TEXT_MAX = 5000
SHORT_MAX = 300
EARLIEST_YEAR = 2000
EXTERNAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%Y")
TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%H.%M.%S", "%H.%M")

MESSAGES = {
    "formula": _("Column “%(column)s” holds a spreadsheet formula; formulas are not imported."),
    "required": _("Column “%(column)s” is empty."),
    "bad_date": _("Column “%(column)s”: “%(value)s” is not a date (use YYYY-MM-DD)."),
    "bad_time": _("Column “%(column)s”: “%(value)s” is not a time (use HH:MM)."),
    "future_date": _("The date received %(value)s is in the future."),
    "old_date": _("The date received %(value)s is before %(year)s."),
    "unknown_kind": _("Unknown kind of report “%(value)s”."),
    "unknown_channel": _("Unknown channel “%(value)s”."),
    "bad_flag": _("Column “%(column)s”: “%(value)s” is neither yes nor no."),
    "too_long": _("Column “%(column)s” is longer than %(max)s characters."),
    "bad_id": _("Column “%(column)s”: “%(value)s” is not a valid id."),
    "other_organisation": _(
        "This id is already recorded by another organisation; it is not imported twice."
    ),
    "repeated": _("Same report as row %(row)s of this file; imported once."),
    "exists": _("Already imported (%(code)s); skipped."),
    "kind_default": _("No kind given: recorded as a complaint."),
    "channel_default": _("Channel “%(value)s” is not known here: recorded as SP4N-LAPOR!."),
    "category_unmatched": _("No category named “%(value)s”: imported without a category."),
    "title_from_text": _("No title: the beginning of the text is used."),
    "title_cut": _("The title is longer than %(max)s characters and was shortened."),
    "closed": _("Finished in the other system (“%(value)s”): imported as archived."),
    "failed": _("Could not be imported: %(detail)s"),
}


# One line per kind of remark for the dry run's summary ("12 rows: …").
SUMMARIES = {
    "closed": _("finished in the other system: imported as archived"),
    "category_unmatched": _("no category of that name: imported without a category"),
    "kind_default": _("no kind given: recorded as a complaint"),
    "channel_default": _("channel not known here: recorded as SP4N-LAPOR!"),
    "title_from_text": _("no title: the beginning of the text is used"),
    "title_cut": _("title shortened"),
    "repeated": _("repeat an earlier row of this file: imported once"),
    "exists": _("already imported: skipped"),
}


def summarise(counts: dict[str, int]) -> list[tuple[int, str]]:
    """Return (rows, remark) pairs of an import's remark counts, most frequent first."""
    return sorted(((n, str(SUMMARIES.get(code, code))) for code, n in counts.items()), reverse=True)


def describe(problem: dict) -> str:
    """Return one stored problem of a row as a sentence in the active language."""
    template = MESSAGES.get(problem.get("code"), MESSAGES["failed"])
    return str(template) % _Params(problem.get("params") or {})


class _Params(dict):
    def __missing__(self, key):
        return "?"


@dataclass
class RowContext:
    """What checking a row needs beyond its cells."""

    fmt: str
    organisation_id: int
    tz: ZoneInfo
    now: datetime
    categories: dict[str, int]
    default_kind: str = ReportKind.COMPLAINT
    default_channel: str = Channel.LAPOR


@dataclass
class CheckedRow:
    """A row's report values, its errors (it is not imported) and its notices (it is)."""

    values: dict = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)
    notices: list[dict] = field(default_factory=list)
    source: str = ""
    key: str = ""

    def error(self, code: str, **params) -> None:
        self.errors.append({"code": code, "params": params})

    def notice(self, code: str, **params) -> None:
        self.notices.append({"code": code, "params": params})


def check_row(cells: dict[str, str], columns: dict[str, str], ctx: RowContext) -> CheckedRow:
    """Check one row; *cells* are the mapped cells by target, *columns* their header names."""
    row = CheckedRow()
    for target, value in cells.items():
        if looks_like_formula(value):
            row.error("formula", column=columns[target])
    if row.errors:
        return row
    # Whitespace is squashed everywhere but in the report text, whose paragraphs matter.
    text = {t: " ".join(v.split()) for t, v in cells.items()}
    text[Target.DESCRIPTION] = cells.get(Target.DESCRIPTION, "").strip()
    _check_received(row, text, columns, ctx)
    _check_kind_and_channel(row, text, ctx)
    _check_texts(row, text, columns)
    _check_flags(row, text, columns)
    name = text.get(Target.CATEGORY, "")
    row.values["category_id"] = ctx.categories.get(normal(name)) if name else None
    if name and row.values["category_id"] is None:
        row.notice("category_unmatched", value=name[:80])
    status = text.get(Target.EXTERNAL_STATUS, "")
    row.values["closed"] = bool(status) and is_closed_status(status)
    if row.values["closed"]:
        row.notice("closed", value=status[:80])
    row.values["external"] = {
        "status": status[:100],
        "reason": text.get(Target.STATUS_REASON, "")[:SHORT_MAX],
        "dispatched_to": text.get(Target.DISPATCHED_TO, "")[:SHORT_MAX],
        "source_channel": text.get(Target.CHANNEL, "")[:100],
        "kind": text.get(Target.KIND, "")[:100],
        "category": name[:200],
    }
    _set_key(row, text, columns, ctx)
    return row


def _check_received(row, text, columns, ctx) -> None:
    raw = text.get(Target.RECEIVED_DATE, "")
    column = columns.get(Target.RECEIVED_DATE, "")
    if not raw:
        row.error("required", column=column)
        return
    day, at = parse_date(raw)
    if day is None:
        row.error("bad_date", column=column, value=raw[:40])
        return
    if raw_time := text.get(Target.RECEIVED_TIME, ""):
        at = parse_time(raw_time)
        if at is None:
            row.error("bad_time", column=columns[Target.RECEIVED_TIME], value=raw_time[:40])
            return
    received = datetime.combine(day, at or time(0, 0), tzinfo=ctx.tz)
    if received > ctx.now + timedelta(minutes=5):
        row.error("future_date", value=day.isoformat())
    elif day.year < EARLIEST_YEAR:
        row.error("old_date", value=day.isoformat(), year=EARLIEST_YEAR)
    else:
        row.values["received_at"] = received.isoformat()


def parse_date(raw: str) -> tuple[date | None, time | None]:
    """Return the date of *raw* and its time when it carries one ("2024-05-01 08:30")."""
    head, _sep, tail = raw.replace("T", " ").partition(" ")
    for fmt in DATE_FORMATS:
        try:
            day = datetime.strptime(head, fmt).date()  # noqa: DTZ007 (a date only)
        except ValueError:
            continue
        if not tail:
            return day, None
        at = parse_time(tail.split("+")[0].rstrip("Z"))
        return (day, at) if at is not None else (None, None)
    return None, None


def parse_time(raw: str) -> time | None:
    """Return the time of *raw* (HH:MM or HH:MM:SS, fractions of a second ignored)."""
    raw = raw.strip().split(".")[0] if raw.count(":") else raw.strip()
    for fmt in TIME_FORMATS:
        try:
            return datetime.strptime(raw, fmt).time()  # noqa: DTZ007 (a time of day only)
        except ValueError:
            continue
    return None


def _check_kind_and_channel(row, text, ctx) -> None:
    kind_raw = text.get(Target.KIND, "")
    if not kind_raw:
        row.values["kind"] = ctx.default_kind
        if ctx.fmt == ImportFormat.LAPOR:
            row.notice("kind_default")
    elif (kind := KINDS.get(normal(kind_raw))) is None:
        row.error("unknown_kind", value=kind_raw[:80])
    else:
        row.values["kind"] = kind
    channel_raw = text.get(Target.CHANNEL, "")
    if not channel_raw:
        row.values["channel"] = ctx.default_channel
        return
    if ctx.fmt == ImportFormat.LAPOR:
        channel = lapor_channel(channel_raw)
        if channel is None:
            channel = Channel.LAPOR
            row.notice("channel_default", value=channel_raw[:80])
        row.values["channel"] = channel
    elif (channel := CHANNELS.get(normal(channel_raw))) is None:
        row.error("unknown_channel", value=channel_raw[:80])
    else:
        row.values["channel"] = channel


def _check_texts(row, text, columns) -> None:
    description = text.get(Target.DESCRIPTION, "")
    title = text.get(Target.TITLE, "")
    if not description:
        row.error("required", column=columns.get(Target.DESCRIPTION, ""))
        return
    if len(description) > TEXT_MAX:
        row.error("too_long", column=columns[Target.DESCRIPTION], max=TEXT_MAX)
        return
    if not title:
        title = " ".join(description.split())[:80]
        row.notice("title_from_text")
    elif len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1] + "…"
        row.notice("title_cut", max=TITLE_MAX)
    location = text.get(Target.LOCATION, "")
    if len(location) > SHORT_MAX:
        row.error("too_long", column=columns[Target.LOCATION], max=SHORT_MAX)
    row.values |= {"title": title, "description": description, "location_text": location}


def _check_flags(row, text, columns) -> None:
    anonymous = normal(text.get(Target.ANONYMOUS, ""))
    confidential = normal(text.get(Target.CONFIDENTIAL, ""))
    for target, word in ((Target.ANONYMOUS, anonymous), (Target.CONFIDENTIAL, confidential)):
        if word not in YES and word not in NO:
            row.error("bad_flag", column=columns[target], value=text[target][:40])
    # LAPOR!'s tipe_laporan says "Rahasia" for a confidential report, "Anonim" for anonymous.
    row.values["is_anonymous"] = anonymous in YES and anonymous != "rahasia"
    row.values["is_confidential"] = confidential in YES or anonymous == "rahasia"


def _set_key(row, text, columns, ctx) -> None:
    external_id = text.get(Target.EXTERNAL_ID, "")
    if ctx.fmt == ImportFormat.LAPOR:
        row.source = "lapor"
        if not external_id:
            row.error("required", column=columns.get(Target.EXTERNAL_ID, ""))
        elif not EXTERNAL_ID.match(external_id):
            row.error("bad_id", column=columns[Target.EXTERNAL_ID], value=external_id[:40])
        row.key = external_id
        return
    row.source = "import"
    if external_id:
        if not EXTERNAL_ID.match(external_id):
            row.error("bad_id", column=columns[Target.EXTERNAL_ID], value=external_id[:40])
        row.key = f"{ctx.organisation_id}:{external_id}"
        return
    # Without an id the row is its own key: the same record imported again is found again.
    parts = [row.values.get(k, "") for k in ("received_at", "kind", "title", "location_text")]
    parts.append(row.values.get("description", ""))
    digest = hashlib.sha256(normal("\x1f".join(parts)).encode()).hexdigest()[:40]
    row.key = f"{ctx.organisation_id}:h:{digest}"
