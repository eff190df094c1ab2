"""The SKM period report (laporan SKM): its data, and the report as a PDF and a workbook.

Reads only. Everything is computed over a period's counted responses (unflagged, or
flagged and kept on review: ``models.COUNTED``) with the
project's index code (``index.compute``, ``rank_weakest``, ``by_group``, ``trend``),
so the report shows the same IKM as the staff screens. The PDF follows the usual
report structure under PermenPAN-RB 14/2017 (domain.md 1.8): introduction; method
and implementation (organiser, method, location, time, sample size); results (IKM
of the unit, per element, per service, answer counts, respondent profile, and apart
from the index the unit's own questions); analysis
(weakest and strongest elements, trend, comments); follow-up plan; closing.

Texts follow the active language; element and grade names come from
``elements.py`` and ``index.py`` in Indonesian or English.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from django.apps import apps
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from . import charts
from .choices import Education, Gender, Occupation, ResponseChannel, ReviewStatus
from .elements import ELEMENT_KEYS, ELEMENTS, Element
from .index import (
    CONVERSION_FACTOR,
    GRADES,
    IndexResult,
    MissingElements,
    by_group,
    compute,
    grade_for,
    rank_weakest,
    round_half_up,
    trend,
)
from .models import SurveyPeriod, SurveyResponse
from .profile import AGE_BANDS, age_band, age_label
from .sampling import progress
from .selectors import question_results

COMMENT_LIMIT = 200
PRIORITY_COUNT = 3
TREND_PERIODS = 4
DATA_COLUMNS_BEFORE = ("date", "channel", "service")
DATA_COLUMNS_AFTER = ("gender", "age", "education", "occupation")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _english() -> bool:
    return (translation.get_language() or "").startswith("en")


def element_name(element: Element) -> str:
    """Return the element's name in the active language."""
    return element.name_en if _english() else element.name_id


def grade_label(result: IndexResult) -> str:
    """Return the grade's name (Sangat baik .. Tidak baik) in the active language."""
    return result.grade_label_en if _english() else result.grade_label


def _grade_name(grade) -> str:
    return grade.label_en if _english() else grade.label_id


def _share(count: int, total: int) -> Decimal:
    """Return ``count`` as a percentage of ``total``, 1 decimal."""
    return round_half_up(Fraction(count * 100, total), 1) if total else Decimal("0.0")


def _compute(answers: Sequence[dict]) -> IndexResult | None:
    """Return the index of a set of answers, partial if an element has no answer at all."""
    if not answers:
        return None
    try:
        return compute(answers, allow_missing=True)
    except MissingElements:
        return None


def _responses(period: SurveyPeriod):
    return period.responses.counted()


def _flag_counts(period: SurveyPeriod) -> dict[str, int]:
    """Return the flagged responses awaiting review, excluded, and kept (counted) on review."""
    reviewed = [ReviewStatus.KEPT, ReviewStatus.EXCLUDED]
    return period.responses.filter(is_flagged=True).aggregate(
        pending=Count("id", filter=~Q(review_status__in=reviewed)),
        excluded=Count("id", filter=Q(review_status=ReviewStatus.EXCLUDED)),
        kept=Count("id", filter=Q(review_status=ReviewStatus.KEPT)),
    )


def _local_date(moment: datetime, tz) -> date:
    return timezone.localtime(moment, tz).date()


def report_filename(period: SurveyPeriod, extension: str) -> str:
    """Return the download name, e.g. ``skm-dpmptsp-kota-contoh-12.pdf``."""
    return f"skm-{period.unit.slug}-{period.pk}.{extension}"


def follow_up_items(period: SurveyPeriod) -> list[dict]:
    """Return the period's follow-up plan (rencana tindak lanjut) items, [] without the model.

    Hook for the ``surveys.FollowUpItem`` model (element key, programme, due date,
    person responsible, status). Looked up at run time so the report works before and
    after that model exists.
    """
    try:
        model = apps.get_model("surveys", "FollowUpItem")
    except LookupError:
        return []
    items = []
    for item in model.objects.filter(period=period).order_by("due", "pk"):
        element = ELEMENTS.get(item.element)
        status_display = getattr(item, "get_status_display", None)
        items.append(
            {
                "element": item.element,
                "element_name": element_name(element) if element else item.element,
                "programme": item.programme,
                "due": item.due,
                "responsible": item.responsible,
                "status": item.status,
                "status_label": status_display() if status_display else item.status,
            }
        )
    return items


def _element_rows(result: IndexResult | None, answers: Sequence[dict]) -> list[dict]:
    """Return per element: name, NRR, weighted NRR, grade, answer counts, rank from the weakest."""
    ranks = {}
    if result is not None:
        ranks = {key: i for i, (key, _value) in enumerate(rank_weakest(result.nrr), start=1)}
    rows = []
    for number, key in enumerate(ELEMENT_KEYS, start=1):
        element = ELEMENTS[key]
        tally = Counter(answer.get(key) for answer in answers)
        counts = {value: tally.get(value, 0) for value in (1, 2, 3, 4)}
        value = result.nrr.get(key) if result is not None else None
        grade = grade_for(value * CONVERSION_FACTOR) if value is not None else None
        rows.append(
            {
                "number": number,
                "key": key,
                "element": element,
                "name": element_name(element),
                "nrr": value,
                "nrr_display": round_half_up(value, 3) if value is not None else None,
                "weighted": round_half_up(value / len(ELEMENT_KEYS), 4)
                if value is not None
                else None,
                "converted": round_half_up(value * CONVERSION_FACTOR)
                if value is not None
                else None,
                "grade": grade.letter if grade else "",
                "grade_label": _grade_name(grade) if grade else "",
                "counts": counts,
                "unanswered": len(answers) - sum(counts.values()),
                "answered": sum(counts.values()),
                "rank": ranks.get(key),
            }
        )
    return rows


def _service_rows(responses: Sequence[SurveyResponse]) -> list[dict]:
    """Return the IKM per service received; responses without a service form one group."""
    names = {r.service_id: r.service.name for r in responses if r.service_id}
    groups = by_group(((r.service_id, r.answers) for r in responses), allow_missing=True)
    counts = Counter(r.service_id for r in responses)
    rows = [
        {
            "service_id": service_id,
            "name": names[service_id] if service_id else _("Service not stated"),
            "respondents": counts[service_id],
            "ikm": result.rounded,
            "grade": result.grade,
            "grade_label": grade_label(result),
            "missing": [element_name(ELEMENTS[key]) for key in result.missing_elements],
        }
        for service_id, result in groups.items()
    ]
    rows.sort(key=lambda row: (row["service_id"] is None, row["name"].casefold()))
    return rows


def _table(pairs: Iterable[tuple[object, str]], values: Sequence[object], total: int) -> list[dict]:
    """Return a profile table: every category with count and share, "not stated" if any."""
    tally = Counter(values)
    rows = [
        {"code": code, "label": str(label), "count": tally.get(code, 0)} for code, label in pairs
    ]
    known = {row["code"] for row in rows}
    unknown = sum(count for code, count in tally.items() if code not in known)
    if unknown:
        rows.append({"code": "", "label": _("Not stated"), "count": unknown})
    for row in rows:
        row["share"] = _share(row["count"], total)
    return rows


def _profile(responses: Sequence[SurveyResponse]) -> list[dict]:
    """Return the four respondent-profile tables of the Lampiran form (domain.md 1.4)."""
    total = len(responses)
    ages = [age_band(r.age) for r in responses]
    age_pairs = [(i, age_label(low, high)) for i, (low, high) in enumerate(AGE_BANDS)]
    return [
        {
            "key": "gender",
            "title": _("Gender"),
            "rows": _table(Gender.choices, [r.gender for r in responses], total),
        },
        {"key": "age", "title": _("Age (years)"), "rows": _table(age_pairs, ages, total)},
        {
            "key": "education",
            "title": _("Education"),
            "rows": _table(Education.choices, [r.education for r in responses], total),
        },
        {
            "key": "occupation",
            "title": _("Occupation"),
            "rows": _table(Occupation.choices, [r.occupation for r in responses], total),
        },
    ]


def _comments(period: SurveyPeriod, limit: int | None) -> list[dict]:
    """Return the non-empty comments, newest first."""
    tz = period.unit.tz
    rows = (
        _responses(period)
        .exclude(comment="")
        .select_related("service")
        .order_by("-created_at", "-pk")
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        {
            "date": _local_date(r.created_at, tz),
            "service": r.service.name if r.service else "",
            "text": r.comment,
        }
        for r in rows
    ]


def _trend(period: SurveyPeriod, current: IndexResult | None) -> list[dict]:
    """Return earlier periods of the same unit and service scope, oldest first, then this one."""
    earlier = SurveyPeriod.objects.filter(
        unit_id=period.unit_id, service_id=period.service_id, starts_on__lt=period.starts_on
    ).order_by("-starts_on")[:TREND_PERIODS]
    points: list[tuple[SurveyPeriod, IndexResult]] = []
    for other in reversed(earlier):
        result = _compute(list(_responses(other).values_list("answers", flat=True)))
        if result is not None:
            points.append((other, result))
    if current is None or not points:
        return []
    points.append((period, current))
    rows = []
    for i, (other, result) in enumerate(points):
        change = trend(result, [points[i - 1][1]])[0] if i else None
        rows.append(
            {
                "period": other,
                "name": other.name,
                "starts_on": other.starts_on,
                "ends_on": other.ends_on,
                "is_current": other.pk == period.pk,
                "respondents": result.respondents,
                "ikm": result.rounded,
                "grade": result.grade,
                "grade_label": grade_label(result),
                "change": change.points if change else None,
                "grade_steps": change.grade_steps if change else None,
            }
        )
    return rows


def _grade_table() -> list[dict]:
    """Return the 2017 grade bands (domain.md 1.6) with their converted ranges."""
    rows = []
    upper = Decimal("100.00")
    for grade in GRADES:
        rows.append(
            {
                "letter": grade.letter,
                "label": _grade_name(grade),
                "low": grade.minimum,
                "high": upper,
                "nrr_low": round_half_up(Fraction(grade.minimum) / CONVERSION_FACTOR, 4),
            }
        )
        upper = grade.minimum - Decimal("0.01")
    return rows


def period_report_data(period: SurveyPeriod, *, comment_limit: int | None = COMMENT_LIMIT) -> dict:
    """Return everything the report of one period shows, over its counted responses."""
    responses = list(_responses(period).select_related("service").order_by("created_at", "pk"))
    answers = [r.answers for r in responses]
    result = _compute(answers)
    elements = _element_rows(result, answers)
    by_key = {row["key"]: row for row in elements}
    weakest = [by_key[key] for key, _value in rank_weakest(result.nrr)] if result else []
    target = period.target
    channels = Counter(r.channel for r in responses)
    comments = _comments(period, comment_limit)
    flags = _flag_counts(period)
    return {
        "period": period,
        "unit": period.unit,
        "organisation": period.unit.organisation,
        "service": period.service,
        "generated_at": timezone.localtime(timezone.now(), period.unit.tz),
        "result": result,
        "ikm": result.rounded if result else None,
        "ikm_unconverted": round_half_up(result.unconverted, 4) if result else None,
        "grade": result.grade if result else "",
        "grade_label": grade_label(result) if result else "",
        "missing_elements": [element_name(ELEMENTS[key]) for key in result.missing_elements]
        if result
        else [],
        "respondents": len(responses),
        "population": period.population,
        "sampling_method": period.get_sampling_display(),
        "target": target,
        "progress": progress(len(responses), target) if target else None,
        # Left out of the index: awaiting review or excluded on review.
        "flagged": flags["pending"] + flags["excluded"],
        "flagged_pending": flags["pending"],
        "flagged_excluded": flags["excluded"],
        "flagged_kept": flags["kept"],
        "channels": [
            {"code": code, "label": str(label), "count": channels[code]}
            for code, label in ResponseChannel.choices
            if channels[code]
        ],
        "elements": elements,
        "weakest": weakest,
        "strongest": list(reversed(weakest))[:PRIORITY_COUNT],
        "priorities": weakest[:PRIORITY_COUNT],
        "services": _service_rows(responses),
        "profile": _profile(responses),
        "questions": question_results(period, [r.extra_answers for r in responses]),
        "comments": comments,
        "comment_count": _responses(period).exclude(comment="").count(),
        "trend": _trend(period, result),
        "follow_up": follow_up_items(period),
        "grades": _grade_table(),
    }


def _number(places: int):
    def format_number(value: float) -> str:
        return formats.number_format(value, places)

    return format_number


def _percent(value: float) -> str:
    return f"{formats.number_format(value, 0)}%"


def report_charts(data: dict) -> dict[str, str]:
    """Return the report's SVG charts: NRR per element and the answer distribution."""
    bands = [(grade.letter, float(grade.minimum) / CONVERSION_FACTOR) for grade in GRADES]
    rows = [
        (f"{row['number']}. {row['name']}", float(row["nrr"]) if row["nrr"] is not None else None)
        for row in data["elements"]
    ]
    nrr = charts.nrr_bar_chart(
        rows,
        title=_("Average score (NRR) per element"),
        description=_("Scale 1 to 4; the shaded bands mark the grades D, C, B and A."),
        bands=bands,
        no_data=_("no answers"),
        value_format=_number(2),
    )
    distribution = charts.distribution_chart(
        [
            (
                f"{row['number']}. {row['name']}",
                [*(row["counts"][value] for value in (1, 2, 3, 4)), row["unanswered"]],
            )
            for row in data["elements"]
        ],
        title=_("Answers per element"),
        description=_("Share of the answers 1 (worst) to 4 (best) and of unanswered questions."),
        series=["1", "2", "3", "4", _("not answered")],
        percent_format=_percent,
    )
    return {"nrr": nrr, "distribution": distribution}


def period_report_pdf(period: SurveyPeriod) -> bytes:
    """Render the period's report as an A4 PDF in the active language."""
    from weasyprint import HTML  # noqa: PLC0415 - heavy import kept off the start-up path

    data = period_report_data(period)
    html = render_to_string(
        "surveys/report_pdf.html",
        data | {"charts": report_charts(data), "LANGUAGE_CODE": translation.get_language()},
    )
    return HTML(string=html).write_pdf()


# --- Workbook --------------------------------------------------------------------------


def _cell_text(value: str) -> str:
    """Return text without the control characters a workbook cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _put(sheet, row: int, column: int, value, number_format: str | None = None):
    """Write one cell; text is always text, so a comment "=..." never becomes a formula."""
    if isinstance(value, Decimal):
        value = float(value)
    elif isinstance(value, Fraction):
        value = float(round_half_up(value, 4))
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = _cell_text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    if number_format:
        cell.number_format = number_format
    return cell


def _header(sheet, row: int, titles: Sequence[str]) -> None:
    for column, title in enumerate(titles, start=1):
        _put(sheet, row, column, title).font = Font(bold=True)


def _widths(sheet, widths: Sequence[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _summary_sheet(sheet, data: dict) -> None:
    period = data["period"]
    progress_ = data["progress"]
    rows = [
        (_("Organisation"), data["organisation"].name, None),
        (_("Unit"), data["unit"].name, None),
        (_("Service"), data["service"].name if data["service"] else _("All services"), None),
        (_("Period"), period.name, None),
        (_("Starts on"), period.starts_on, "DD/MM/YYYY"),
        (_("Ends on"), period.ends_on, "DD/MM/YYYY"),
        (_("IKM"), data["ikm"], "0.00"),
        (_("IKM before conversion (1–4)"), data["ikm_unconverted"], "0.0000"),
        (_("Grade"), data["grade"], None),
        (_("Performance"), data["grade_label"], None),
        (_("Respondents"), data["respondents"], "0"),
        (_("Sample target"), data["target"], "0"),
        (_("Population estimate"), data["population"], "0"),
        (_("Sample size method"), data["sampling_method"], None),
        (
            _("Share of the target (%)"),
            round_half_up(progress_.share * 100, 1) if progress_ else None,
            "0.0",
        ),
        (_("Flagged responses awaiting review (not counted)"), data["flagged_pending"], "0"),
        (_("Flagged responses excluded on review"), data["flagged_excluded"], "0"),
        (_("Flagged responses kept on review (counted)"), data["flagged_kept"], "0"),
        (_("Comments"), data["comment_count"], "0"),
        (_("Elements without answers"), ", ".join(data["missing_elements"]), None),
        (_("Generated at"), data["generated_at"].replace(tzinfo=None), "DD/MM/YYYY HH:MM"),
    ]
    for i, (label, value, number_format) in enumerate(rows, start=1):
        _put(sheet, i, 1, label).font = Font(bold=True)
        if value is not None:
            _put(sheet, i, 2, value, number_format)
    _widths(sheet, (34, 48))


def _element_sheet(sheet, data: dict) -> None:
    _header(
        sheet,
        1,
        [
            _("No."),
            _("Key"),
            _("Element"),
            _("NRR"),
            _("Weighted NRR (1/9)"),
            _("NRR × 25"),
            _("Grade"),
            _("Rank from the weakest"),
            "1",
            "2",
            "3",
            "4",
            _("Not answered"),
            _("Answered"),
        ],
    )
    for i, row in enumerate(data["elements"], start=2):
        values = [
            (row["number"], "0"),
            (row["key"], None),
            (row["name"], None),
            (row["nrr"], "0.0000"),
            (row["weighted"], "0.0000"),
            (row["converted"], "0.00"),
            (row["grade"], None),
            (row["rank"], "0"),
            *((row["counts"][value], "0") for value in (1, 2, 3, 4)),
            (row["unanswered"], "0"),
            (row["answered"], "0"),
        ]
        for column, (value, number_format) in enumerate(values, start=1):
            if value is not None:
                _put(sheet, i, column, value, number_format)
    sheet.freeze_panes = "D2"
    _widths(sheet, (5, 12, 42, 9, 12, 10, 7, 10, 6, 6, 6, 6, 12, 10))


def _service_sheet(sheet, data: dict) -> None:
    _header(sheet, 1, [_("Service"), _("Respondents"), _("IKM"), _("Grade"), _("Performance")])
    for i, row in enumerate(data["services"], start=2):
        _put(sheet, i, 1, row["name"])
        _put(sheet, i, 2, row["respondents"], "0")
        _put(sheet, i, 3, row["ikm"], "0.00")
        _put(sheet, i, 4, row["grade"])
        _put(sheet, i, 5, row["grade_label"])
    sheet.freeze_panes = "A2"
    _widths(sheet, (40, 12, 9, 7, 14))


def _profile_sheet(sheet, data: dict) -> None:
    row_number = 1
    for table in data["profile"]:
        _put(sheet, row_number, 1, table["title"]).font = Font(bold=True)
        _header(sheet, row_number + 1, ["", _("Respondents"), _("Share (%)")])
        row_number += 2
        for row in table["rows"]:
            _put(sheet, row_number, 1, row["label"])
            _put(sheet, row_number, 2, row["count"], "0")
            _put(sheet, row_number, 3, row["share"], "0.0")
            row_number += 1
        row_number += 1
    _widths(sheet, (34, 12, 10))


def _comment_sheet(sheet, period: SurveyPeriod) -> None:
    _header(sheet, 1, [_("Date"), _("Service"), _("Comment")])
    for i, comment in enumerate(_comments(period, None), start=2):
        _put(sheet, i, 1, comment["date"], "DD/MM/YYYY")
        _put(sheet, i, 2, comment["service"])
        _put(sheet, i, 3, comment["text"]).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    _widths(sheet, (12, 28, 90))


def _question_sheet(sheet, data: dict) -> None:
    """The unit's own questions: results per question, then the written answers."""
    _put(sheet, 1, 1, _("The unit's own questions (not part of the IKM)")).font = Font(bold=True)
    _header(
        sheet,
        2,
        [_("No."), _("Question"), _("Answer type"), _("Answers"), _("Mean (1–4)"), "1", "2", "3"]
        + ["4", _("Answer labels")],
    )
    row_number = 3
    for number, item in enumerate(data["questions"], start=1):
        counts = [(count, "0") for _value, _label, count, _share in item.distribution]
        labels = "; ".join(f"{value} = {label}" for value, label, _n, _s in item.distribution)
        values = [
            (number, "0"),
            (item.text, None),
            (item.question.get_kind_display(), None),
            (item.answered, "0"),
            (item.mean, "0.00"),
            *(counts or [(None, None)] * 4),
            (labels, None),
        ]
        for column, (value, number_format) in enumerate(values, start=1):
            if value not in (None, ""):
                _put(sheet, row_number, column, value, number_format)
        row_number += 1
    texts = {item.question.pk: item.text for item in data["questions"] if not item.distribution}
    if texts:
        row_number += 1
        _header(sheet, row_number, [_("Question"), _("Written answer")])
        rows = _responses(data["period"]).order_by("created_at", "pk")
        for extra in rows.values_list("extra_answers", flat=True).iterator():
            for pk, text in texts.items():
                if isinstance(answer := (extra or {}).get(str(pk)), str) and answer:
                    row_number += 1
                    _put(sheet, row_number, 1, text)
                    _put(sheet, row_number, 2, answer).alignment = Alignment(wrap_text=True)
    _widths(sheet, (6, 50, 18, 9, 10, 6, 6, 6, 6, 60))


def _data_sheet(sheet, period: SurveyPeriod, questions: Sequence = ()) -> None:
    """One row per counted response: no source digest, client key or ticket code.

    The unit's own questions follow the profile, as ``q<question id>``.
    """
    extra_keys = [str(item.question.pk) for item in questions]
    _header(
        sheet,
        1,
        [*DATA_COLUMNS_BEFORE, *ELEMENT_KEYS, *DATA_COLUMNS_AFTER, *(f"q{k}" for k in extra_keys)],
    )
    tz = period.unit.tz
    rows = _responses(period).select_related("service").order_by("created_at", "pk")
    for i, response in enumerate(rows.iterator(), start=2):
        values = [
            (_local_date(response.created_at, tz), "DD/MM/YYYY"),
            (response.channel, None),
            (response.service.name if response.service else "", None),
            *((response.answers.get(key), "0") for key in ELEMENT_KEYS),
            (response.gender, None),
            (response.age, "0"),
            (response.education, None),
            (response.occupation, None),
            *((response.extra_answers.get(key), None) for key in extra_keys),
        ]
        for column, (value, number_format) in enumerate(values, start=1):
            if value not in (None, ""):
                _put(sheet, i, column, value, number_format)
    sheet.freeze_panes = "A2"
    _widths(sheet, (12, 11, 28, *([12] * len(ELEMENT_KEYS)), 8, 6, 10, 12))


SHEETS = ("Ringkasan", "Unsur", "Layanan", "Profil", "Komentar", "Data")
# Only in the workbook of a period whose unit asks questions of its own.
QUESTION_SHEET = "Pertanyaan unit"


def period_report_xlsx(period: SurveyPeriod) -> bytes:
    """Return the period's report as a workbook: summary, elements, services, profile, data.

    A unit that asks questions of its own gets their sheet before the data.
    """
    data = period_report_data(period)
    workbook = Workbook()
    workbook.properties.creator = "Tanggap"
    workbook.properties.title = f"SKM {period.unit.name} · {period.name}"
    summary = workbook.active
    summary.title = SHEETS[0]
    sheets = [summary, *(workbook.create_sheet(name) for name in SHEETS[1:])]
    _summary_sheet(sheets[0], data)
    _element_sheet(sheets[1], data)
    _service_sheet(sheets[2], data)
    _profile_sheet(sheets[3], data)
    _comment_sheet(sheets[4], period)
    _data_sheet(sheets[5], period, data["questions"])
    if data["questions"]:
        _question_sheet(workbook.create_sheet(QUESTION_SHEET, index=len(SHEETS) - 1), data)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
