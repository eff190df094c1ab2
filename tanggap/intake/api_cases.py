"""API for staff: list, read and act on the cases of a token's units, through the screens' services.

A case outside the token's units (or its user's rights) answers 404, as on the screens.
"""

from datetime import datetime
from itertools import chain
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from tanggap.accounts.api import token_auth
from tanggap.accounts.api_tokens import token_roots, token_units
from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import get_scoped_or_404
from tanggap.cases.choices import Transition
from tanggap.cases.filters import SORTS, CaseFilterForm
from tanggap.cases.forms import TRANSITION_FORMS
from tanggap.cases.models import Case
from tanggap.cases.selectors import case_list, case_timeline, cases_visible_to, handlers_for
from tanggap.common.api import (
    AUTH_ERRORS,
    PAGE_DEFAULT,
    PAGE_MAX,
    ErrorOut,
    checked_cursor,
    error_response,
    form_errors,
)
from tanggap.common.pagination import Page, _encode

from .api import IdempotencyKey
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


class ReportOut(Schema):
    tracking_code: str
    kind: str
    channel: str
    title: str
    description: str
    location_text: str
    is_anonymous: bool
    created_at: datetime


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


def scoped_case(request, case_id: int) -> Case:
    """Return a case of the token's units the token's user may see, or raise 404."""
    units = token_units(request.auth, Capability.VIEW_CASES)
    qs = cases_visible_to(request.auth.user).filter(unit__in=units)
    qs = qs.select_related("unit", "organisation", "category", "service", "assignee")
    return get_scoped_or_404(qs, pk=case_id)


def _detail(case: Case, user) -> Case:
    """Return *case* carrying what CaseDetailOut shows besides its own fields."""
    case.api_reports = list(case.reports.order_by("created_at", "id"))
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
