"""API for staff: a case's replies; writing, submitting and approving one, as on its screens."""

from datetime import datetime
from typing import Literal

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tanggap.accounts.api import token_auth
from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import get_scoped_or_404, user_can
from tanggap.common.api import AUTH_ERRORS, ErrorOut, error_response, form_errors
from tanggap.intake.api import IdempotencyKey
from tanggap.intake.api_cases import scoped_case

from .forms import FINAL, ReplyForm
from .selectors import case_replies, templates_for
from .services import MAX_BODY, reply_approve, reply_draft_save, reply_submit

router = Router(tags=["replies"], auth=token_auth)


class ReplyOut(Schema):
    id: int
    status: str
    is_final: bool
    body: str
    author: str
    created_at: datetime
    submitted_at: datetime | None
    published_at: datetime | None

    @staticmethod
    def resolve_author(obj) -> str:
        return obj.author.username


class ReplyIn(Schema):
    body: str = Field(max_length=MAX_BODY)
    kind: Literal["final", "interim"] = FINAL
    submit: bool = Field(
        False,
        description="Submit at once: published, or sent for approval where the unit needs it.",
    )


@router.get("/cases/{case_id}/replies", response={200: list[ReplyOut]} | AUTH_ERRORS)
def reply_list(request, case_id: int):
    """List a case's replies for its staff, drafts included, oldest first."""
    return list(case_replies(case=scoped_case(request, case_id)))


@router.post(
    "/cases/{case_id}/replies",
    response={201: ReplyOut, 403: ErrorOut, 409: ErrorOut} | AUTH_ERRORS,
)
def reply_create(request, case_id: int, data: ReplyIn, idempotency_key: str = IdempotencyKey):
    """Write a reply to the reporter as a draft, or submit it at once with `submit`."""
    case = scoped_case(request, case_id)
    user = request.auth.user
    if not user_can(user, Capability.HANDLE_CASES, case.unit):
        raise Http404
    form = ReplyForm(
        {"reply-body": data.body, "reply-kind": data.kind},
        prefix="reply",
        templates=templates_for(case),
    )
    if not form.is_valid():
        return error_response(
            422, "invalid", _("Some fields are not valid."), fields=form_errors(form)
        )
    with transaction.atomic():
        reply = reply_draft_save(
            case=case, by=user, body=form.cleaned_data["body"], is_final=form.is_final
        )
        if data.submit:
            reply = reply_submit(reply=reply, by=user)
    return Status(201, reply)


@router.post(
    "/cases/{case_id}/replies/{reply_id}/approve",
    response={200: ReplyOut, 403: ErrorOut, 409: ErrorOut} | AUTH_ERRORS,
)
def reply_approve_view(request, case_id: int, reply_id: int, idempotency_key: str = IdempotencyKey):
    """Approve a reply waiting for approval and publish it (a supervisor, not its author)."""
    case = scoped_case(request, case_id)
    reply = get_scoped_or_404(case_replies(case=case), pk=reply_id)
    return reply_approve(reply=reply, by=request.auth.user)
