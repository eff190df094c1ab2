"""API for staff: list, read and act on the cases of a token's units, through the screens' services.

A case outside the token's units (or its user's rights) answers 404, as on the screens.
"""

from datetime import datetime
from itertools import chain
from typing import Annotated, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from tanggap.accounts.api import token_auth
from tanggap.accounts.api_tokens import token_roots, token_units
from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import get_scoped_or_404
from tanggap.cases.choices import Complexity, Priority, Transition
from tanggap.cases.filters import SORTS, CaseFilterForm
from tanggap.cases.forms import TRANSITION_FORMS, AttachForm, CaseEditForm
from tanggap.cases.models import Case
from tanggap.cases.selectors import case_list, case_timeline, cases_visible_to, handlers_for
from tanggap.cases.suggestions import suggested_rank
from tanggap.cases.workflow import case_edit, case_note_add
from tanggap.common.api import (
    AUTH_ERRORS,
    PAGE_DEFAULT,
    PAGE_MAX,
    ErrorOut,
    PlainText,
    checked_cursor,
    error_response,
    form_errors,
)
from tanggap.common.pagination import Page, _encode
from tanggap.insights.models import SuggestionTarget

from .api import IdempotencyKey, Kind
from .models import Report
from .services import cases_merge, report_attach, report_detach
from .tracking import normalize_tracking_code
from .views.handling import ACTIONS, available_transitions

router = Router(tags=["cases"], auth=token_auth)

ActionName = Literal[tuple(str(t) for t in TRANSITION_FORMS)]


class CaseQuery(Schema):
    q: str = Field("", max_length=200)
    status: str = ""
    due: str = ""
    kind: str = ""
    channel: str = ""
    category: int | None = None
    unit: int | None = None
    sort: Literal["due", "newest", "oldest"] = "due"
    mine: bool = False
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(PAGE_DEFAULT, ge=1, le=PAGE_MAX)


class CaseOut(Schema):
    id: int
    reference: str
    title: str
    kind: str
    channel: str
    status: str
    priority: str
    unit_id: int
    unit: str
    category: str | None
    assignee: str | None
    is_confidential: bool
    received_at: datetime
    due_at: datetime | None
    due_step: str
    version: int

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_category(obj) -> str | None:
        return obj.category.name if obj.category_id else None

    @staticmethod
    def resolve_assignee(obj) -> str | None:
        return obj.assignee.username if obj.assignee_id else None


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    added_later: bool
    created_at: datetime


class ReportOut(Schema):
    id: int
    tracking_code: str
    kind: str
    channel: str
    title: str
    description: str
    location_text: str
    is_anonymous: bool
    created_at: datetime
    attachments: list[AttachmentOut] = Field(
        description="The files' metadata; read a file at /cases/{id}/attachments/{id}."
    )

    @staticmethod
    def resolve_attachments(obj) -> list:
        return list(obj.attachments.all())


class EventOut(Schema):
    at: datetime
    kind: str
    message: str
    is_public: bool
    actor: str | None

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return obj.actor.username if obj.actor_id else None


class CaseDetailOut(CaseOut):
    reports: list[ReportOut]
    timeline: list[EventOut]
    actions: list[str] = Field(description="What the token's user may do now.")

    @staticmethod
    def resolve_reports(obj) -> list:
        return obj.api_reports

    @staticmethod
    def resolve_timeline(obj) -> list:
        return obj.api_timeline

    @staticmethod
    def resolve_actions(obj) -> list[str]:
        return obj.api_actions


class ActionIn(Schema):
    version: int = Field(ge=0, le=2**31, description="The case's version you acted on.")
    note: str = Field("", max_length=2000)
    message: str = Field("", max_length=2000)
    reason: str = Field("", max_length=2000)
    complexity: str = Field("", max_length=20)
    forwarded_to: str = Field("", max_length=200)
    unit: int | None = None
    officer: int | None = None


def _merged(pages: list[Page], sort: str, limit: int) -> Page:
    """Merge the first pages of disjoint unit branches into the first page of their union."""
    field, descending = SORTS[sort]

    def key(case):
        value, pk = getattr(case, field), case.pk
        if value is None:
            return (1, 0.0, -pk if descending else pk)
        stamp = value.timestamp()
        return (0, -stamp if descending else stamp, -pk if descending else pk)

    rows = sorted(chain.from_iterable(p.items for p in pages), key=key)
    more = len(rows) > limit or any(p.next_cursor for p in pages)
    rows = rows[:limit]
    cursor = _encode(getattr(rows[-1], field), rows[-1].pk) if more and rows else None
    return Page(items=rows, next_cursor=cursor)


@router.get("/cases", response={200: CasePage} | AUTH_ERRORS)
def case_index(request, query: Query[CaseQuery]):
    """List the cases of the token's units, filtered and sorted as in the officer inbox."""
    token = request.auth
    units = token_units(token, Capability.VIEW_CASES)
    raw = query.dict(exclude={"cursor", "limit"})
    form = CaseFilterForm({k: v for k, v in raw.items() if v not in (None, "")}, units=units)
    if not form.is_valid():
        return error_response(
            422, "invalid", _("Some filters are not valid."), fields=form_errors(form)
        )
    filters = dict(form.cleaned_data)
    if code := normalize_tracking_code(filters.get("q") or ""):
        filters["q"], filters["code"] = "", code
    cursor = checked_cursor(query.cursor)
    roots = [filters["unit"]] if filters.get("unit") else token_roots(token, Capability.VIEW_CASES)
    now = timezone.now()
    pages = [
        case_list(
            user=token.user,
            filters=filters | {"unit": root},
            cursor=cursor,
            limit=query.limit,
            now=now,
        )
        for root in roots
    ]
    page = _merged(pages, filters.get("sort") or "due", query.limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


def scoped_cases(request):
    """Return the cases of the token's units its user may see."""
    units = token_units(request.auth, Capability.VIEW_CASES)
    return cases_visible_to(request.auth.user).filter(unit__in=units)


def scoped_case(request, case_id: int) -> Case:
    """Return a case of the token's units the token's user may see, or raise 404."""
    qs = scoped_cases(request)
    qs = qs.select_related("unit", "organisation", "category", "service", "assignee")
    return get_scoped_or_404(qs, pk=case_id)


def _invalid(fields: list[dict]):
    return error_response(422, "invalid", _("Some fields are not valid."), fields=fields)


def _detail(case: Case, user) -> Case:
    """Return *case* carrying what CaseDetailOut shows besides its own fields."""
    reports = case.reports.order_by("created_at", "id").prefetch_related("attachments")
    case.api_reports = list(reports)
    case.api_timeline = list(case_timeline(case=case, public_only=False).order_by("at", "id"))
    case.api_actions = [str(t) for t in available_transitions(user, case)]
    return case


@router.get("/cases/{case_id}", response={200: CaseDetailOut} | AUTH_ERRORS)
def case_read(request, case_id: int):
    """Read a case: its reports (never the reporters' identities), timeline and possible acts."""
    return _detail(scoped_case(request, case_id), request.auth.user)


def _action_form(request, action: str, case: Case, data: ActionIn):
    token, user = request.auth, request.auth.user
    fields = {k: v for k, v in data.dict().items() if v not in (None, "")}
    kwargs = {"prefix": action, "data": {f"{action}-{k}": v for k, v in fields.items()}}
    if action == Transition.ASSIGN:
        handle = token_units(token, Capability.HANDLE_CASES)
        kwargs |= {
            "units": handle,
            "memberships": handlers_for(user).filter(unit__in=handle),
        }
    return TRANSITION_FORMS[action](**kwargs)


@router.post(
    "/cases/{case_id}/actions/{action}",
    response={200: CaseDetailOut, 403: ErrorOut, 409: ErrorOut} | AUTH_ERRORS,
)
def case_act(
    request, case_id: int, action: ActionName, data: ActionIn, idempotency_key: str = IdempotencyKey
):
    """Verify, dispose, start, ask for information, resolve, reject, withdraw, reopen or archive.

    Send the `version` of the case you read: if it changed meanwhile the act is refused (409)
    and nothing changes. The fields each act needs are those of its form on the case page.
    """
    case = scoped_case(request, case_id)
    user = request.auth.user
    if action not in available_transitions(user, case):
        return error_response(
            409,
            "illegal_transition",
            _("This act is not possible on this case now, or not for your role."),
        )
    form = _action_form(request, action, case, data)
    if not form.is_valid():
        return error_response(
            422, "invalid", _("Some fields are not valid."), fields=form_errors(form)
        )
    ACTIONS[action](case, user, form.cleaned_data)
    return _detail(scoped_case(request, case_id), user)


class NoteIn(Schema):
    text: PlainText = Field(
        max_length=5000, description="Seen by staff only, never by the reporter."
    )


@router.post(
    "/cases/{case_id}/notes",
    response={201: EventOut, 403: ErrorOut} | AUTH_ERRORS,
)
def note_create(request, case_id: int, data: NoteIn, idempotency_key: str = IdempotencyKey):
    """Add an internal note to a case's timeline; the reporter never sees it."""
    case = scoped_case(request, case_id)
    text = data.text.strip()
    if not text:
        return _invalid([{"field": "text", "message": _("This field is required.")}])
    return Status(201, case_note_add(case=case, by=request.auth.user, text=text))


class CaseEditIn(Schema):
    version: int = Field(ge=0, le=2**31, description="The case's version you edited.")
    title: str | None = Field(None, max_length=200)
    kind: Kind | None = None
    priority: Literal[tuple(Priority.values)] | None = None
    complexity: Literal[tuple(Complexity.values)] | None = None
    category: int | None = Field(None, ge=1, le=2**62, description="null removes it.")
    service: int | None = Field(None, ge=1, le=2**62, description="null removes it.")
    is_confidential: bool | None = None


def _edit_form(case: Case, data: CaseEditIn) -> CaseEditForm:
    """Return the screen's edit form: the case's values, overlaid by the fields sent."""
    values = {name: getattr(case, name) for name in CaseEditForm.FIELDS}
    values |= {"category": case.category_id or "", "service": case.service_id or ""}
    sent = data.dict(exclude_unset=True)
    values |= {k: "" if v is None else v for k, v in sent.items() if k != "version"}
    values["version"] = data.version
    return CaseEditForm(values, case=case)


@router.post(
    "/cases/{case_id}/edit",
    response={200: CaseDetailOut, 403: ErrorOut, 409: ErrorOut} | AUTH_ERRORS,
)
def case_edit_api(request, case_id: int, data: CaseEditIn, idempotency_key: str = IdempotencyKey):
    """Change a case's title, kind, priority, complexity, category, service or secrecy.

    Send only the fields that change, with the `version` of the case you read (409 if it
    changed meanwhile). A new kind, priority or complexity recomputes the running deadline.
    """
    case = scoped_case(request, case_id)
    user = request.auth.user
    form = _edit_form(case, data)
    if not form.is_valid():
        return _invalid(form_errors(form))
    changes = form.changes()
    rank = None
    if changes["category"] != case.category:
        rank = suggested_rank(
            case=case, user=user, target=SuggestionTarget.CATEGORY, choice=changes["category"]
        )
    case_edit(
        case=case,
        by=user,
        changes=changes,
        version=form.cleaned_data["version"],
        suggested_rank=rank,
    )
    return _detail(scoped_case(request, case_id), user)


CaseCode = Annotated[str, Field(min_length=1, max_length=30)]


class AttachIn(Schema):
    into: Annotated[int, Field(ge=1, le=2**62)] | CaseCode = Field(
        description="The other case: its id, its reference or a tracking code of its reports."
    )
    report: int | None = Field(
        None,
        ge=1,
        le=2**62,
        description="One report of this case (its id); omitted, every report (merge the cases).",
    )


def _target_case(request, into: int | str) -> Case | None:
    """Return the case *into* names among the token's cases, or None."""
    qs = scoped_cases(request)
    if isinstance(into, int):
        return qs.filter(pk=into).first()
    code = normalize_tracking_code(into) or into.strip().upper()
    return (
        qs.filter(reference=code).first()
        or qs.filter(pk__in=Report.objects.filter(tracking_code=code).values("case_id")).first()
    )


@router.post(
    "/cases/{case_id}/attach",
    response={200: CaseDetailOut, 403: ErrorOut, 409: ErrorOut} | AUTH_ERRORS,
)
def case_attach_api(request, case_id: int, data: AttachIn, idempotency_key: str = IdempotencyKey):
    """Join this case's report, or all its reports, to another case of which it is a duplicate.

    Answers the case they joined. A case left without reports is archived as merged.
    """
    case = scoped_case(request, case_id)
    user = request.auth.user
    form = AttachForm({"target": str(data.into), "report": data.report or ""}, case=case)
    target = _target_case(request, data.into) if form.is_valid() else None
    if form.is_valid() and target is None:
        form.add_error("target", _("None of your units' cases has this reference or code."))
    if not form.is_valid():
        return _invalid(
            [
                {**f, "field": "into" if f["field"] == "target" else f["field"]}
                for f in form_errors(form)
            ]
        )
    if report := form.cleaned_data["report"]:
        report_attach(report=report, case=target, by=user)
    else:
        cases_merge(cases=[case], into=target, by=user)
    return _detail(scoped_case(request, target.pk), user)


@router.post(
    "/cases/{case_id}/reports/{report_id}/detach",
    response={201: CaseDetailOut, 403: ErrorOut, 409: ErrorOut} | AUTH_ERRORS,
)
def report_detach_api(request, case_id: int, report_id: int, idempotency_key: str = IdempotencyKey):
    """Separate a report that is not a duplicate into a new case of its own; answers that case."""
    case = scoped_case(request, case_id)
    report = get_scoped_or_404(case.reports.all(), pk=report_id)
    new_case = report_detach(report=report, by=request.auth.user)
    return Status(201, _detail(scoped_case(request, new_case.pk), request.auth.user))
