"""Writes for replies: drafts, approval, and publication with a letter number."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import user_can
from tanggap.cases.choices import (
    CLOSED_STATUSES,
    TRANSITIONS,
    CaseStatus,
    EventKind,
    Transition,
)
from tanggap.cases.events import case_event_record
from tanggap.cases.models import Case
from tanggap.cases.notify import staff_notify
from tanggap.cases.workflow import (
    case_progress_update,
    case_respond,
    supervisors_of,
)
from tanggap.common.exceptions import ApplicationError
from tanggap.intake.uploads import MAX_FILES, CleanFile

from ..choices import EDITABLE_STATUSES, ReplyStatus
from ..models import Reply, ReplyAttachment, ReplySettings, ReplyTemplate
from ..placeholders import (
    TEMPLATE_PLACEHOLDERS,
    check_placeholders,
    fill,
    indonesian_date,
    letter_number,
)
from ..selectors import reply_settings_for

MIN_BODY, MAX_BODY = 10, 10000
MIN_NOTE = 10
# The statuses in which an interim reply (a progress update) can be published.
PROGRESS_STATUSES = frozenset(
    {CaseStatus.VERIFIED, CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS, CaseStatus.REOPENED}
)


def _require(by, capability: str, case: Case) -> None:
    if not user_can(by, capability, case.unit):
        raise ApplicationError(_("Your role may not do this on this case."), code="forbidden")


def _lock(reply: Reply) -> Reply:
    """Return *reply* re-read under a row lock, with its case."""
    return (
        Reply.objects.select_for_update(of=("self",))
        .select_related("case", "case__unit", "case__organisation", "author")
        .get(pk=reply.pk)
    )


def template_values(case: Case, *, now=None) -> dict[str, str]:
    """Return the values of the template placeholders for *case*; none identifies the reporter."""
    today = timezone.localdate(now or timezone.now(), case.unit.tz)
    return {
        "kode": case.reference,
        "judul": case.title,
        "unit": case.unit.name,
        "instansi": case.organisation.name,
        "layanan": case.service.name if case.service_id else "",
        "tanggal": indonesian_date(today),
    }


def reply_template_render(*, template: ReplyTemplate, case: Case) -> str:
    """Return *template*'s text filled in for *case*; refuse a template of another organisation."""
    if template.organisation_id != case.organisation_id:
        raise ApplicationError(_("Choose a template of this organisation."), code="template")
    try:
        check_placeholders(template.body, TEMPLATE_PLACEHOLDERS)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], code="template") from None
    return fill(template.body, template_values(case))


def _check_body(body: str) -> None:
    if len(body) < MIN_BODY:
        raise ApplicationError(
            _("Write the reply (at least %(n)d characters).") % {"n": MIN_BODY}, code="body"
        )
    if len(body) > MAX_BODY:
        raise ApplicationError(
            _("The reply is too long (at most %(n)d characters).") % {"n": MAX_BODY},
            code="body",
        )


def _save_files(reply: Reply, files: list[CleanFile]) -> None:
    if reply.attachments.count() + len(files) > MAX_FILES:
        raise ApplicationError(
            _("A reply can carry at most %(n)d files.") % {"n": MAX_FILES}, code="files"
        )
    for clean in files:
        attachment = ReplyAttachment(
            reply=reply,
            name=clean.name,
            content_type=clean.content_type,
            size=clean.size,
            sha256=clean.sha256,
        )
        attachment.file.save(clean.name, ContentFile(clean.data), save=False)
        attachment.save()


@transaction.atomic
def reply_draft_save(
    *,
    case: Case,
    by,
    body: str,
    is_final: bool,
    reply: Reply | None = None,
    template: ReplyTemplate | None = None,
    files: list[CleanFile] | tuple = (),
) -> Reply:
    """Write a new draft reply to *case*, or change the author's draft or returned reply.

    A returned reply becomes a draft again once changed; the files are validated already
    (intake.uploads) and are added to those the reply carries.
    """
    body = body.strip()
    case = Case.objects.select_related("unit", "organisation").get(pk=case.pk)
    _require(by, Capability.HANDLE_CASES, case)
    _check_body(body)
    if case.status in CLOSED_STATUSES:
        raise ApplicationError(_("A closed case cannot be replied to."), code="closed")
    if template is not None and template.organisation_id != case.organisation_id:
        raise ApplicationError(_("Choose a template of this organisation."), code="template")
    if reply is None:
        reply = Reply(case=case, author=by)
    else:
        reply = _lock(reply)
        if reply.case_id != case.pk:
            raise ApplicationError(_("This reply belongs to another case."), code="case")
        if reply.author_id != by.pk:
            raise ApplicationError(_("Only the author can change a draft."), code="author")
        if reply.status not in EDITABLE_STATUSES:
            raise ApplicationError(
                _("A reply waiting for approval or published cannot be changed."), code="status"
            )
    reply.body, reply.is_final = body, bool(is_final)
    reply.template = template or reply.template
    reply.status = ReplyStatus.DRAFT
    if reply.pk is None:
        reply.save()
    else:
        reply.save(update_fields=["body", "is_final", "template", "status", "updated_at"])
    _save_files(reply, list(files))
    return reply


def _check_publishable(reply: Reply, case: Case) -> None:
    """Refuse early a reply the case's status would refuse at publication."""
    if reply.is_final:
        allowed = case.status in TRANSITIONS[Transition.RESPOND][0]
        message = _("A case that is “%(status)s” cannot be given a final reply.")
    else:
        allowed = case.status in PROGRESS_STATUSES
        message = _(
            "A case that is “%(status)s” cannot be given an interim reply; "
            "verify and dispose it first, or send a final reply."
        )
    if not allowed:
        raise ApplicationError(
            message % {"status": CaseStatus(case.status).label}, code="illegal_transition"
        )


def _check_submitter(reply: Reply, by) -> None:
    _require(by, Capability.HANDLE_CASES, reply.case)
    if reply.author_id != by.pk:
        raise ApplicationError(_("Only the author can submit a reply."), code="author")
    if reply.status not in EDITABLE_STATUSES:
        raise ApplicationError(_("This reply was submitted already."), code="status")
    _check_publishable(reply, reply.case)


@transaction.atomic
def reply_submit(*, reply: Reply, by) -> Reply:
    """Send the author's reply on: for approval where the unit requires it, else publish it."""
    reply = _lock(reply)
    _check_submitter(reply, by)
    case = reply.case
    if not reply_settings_for(case.unit).requires_approval:
        return _publish(reply, by=by)
    reply.status, reply.submitted_at = ReplyStatus.PENDING_APPROVAL, timezone.now()
    reply.save(update_fields=["status", "submitted_at", "updated_at"])
    event = case_event_record(
        case=case,
        kind=EventKind.REPLY_SUBMITTED,
        actor=by,
        is_public=False,
        message=Truncator(reply.body).chars(500),
        data={"reply": reply.pk, "final": reply.is_final},
    )
    supervisors = [user for user in supervisors_of(case.unit, level=1) if user.pk != by.pk]
    staff_notify(case=case, event=event, users=supervisors)
    return reply


@transaction.atomic
def reply_publish(*, reply: Reply, by) -> Reply:
    """Publish the author's reply at once; refused where the unit requires approval."""
    reply = _lock(reply)
    _check_submitter(reply, by)
    if reply_settings_for(reply.case.unit).requires_approval:
        raise ApplicationError(
            _("This unit's replies need a supervisor's approval: submit it for approval."),
            code="approval_required",
        )
    return _publish(reply, by=by)


@transaction.atomic
def reply_approve(*, reply: Reply, by) -> Reply:
    """Approve a reply waiting for approval and publish it; its author cannot approve it."""
    reply = _lock(reply)
    _require(by, Capability.SUPERVISE_CASES, reply.case)
    if reply.status != ReplyStatus.PENDING_APPROVAL:
        raise ApplicationError(_("This reply is not waiting for approval."), code="status")
    if reply.author_id == by.pk:
        raise ApplicationError(
            _("You cannot approve your own reply; another supervisor must."), code="own_reply"
        )
    reply.approved_by, reply.approved_at = by, timezone.now()
    return _publish(reply, by=by)


@transaction.atomic
def reply_return(*, reply: Reply, by, note: str) -> Reply:
    """Return a reply waiting for approval to its author, saying what to change."""
    note = note.strip()
    if len(note) < MIN_NOTE:
        raise ApplicationError(
            _("Tell the author what to change (at least %(n)d characters).") % {"n": MIN_NOTE},
            code="note",
        )
    reply = _lock(reply)
    _require(by, Capability.SUPERVISE_CASES, reply.case)
    if reply.status != ReplyStatus.PENDING_APPROVAL:
        raise ApplicationError(_("This reply is not waiting for approval."), code="status")
    reply.status, reply.return_note = ReplyStatus.RETURNED, note
    reply.returned_by, reply.returned_at = by, timezone.now()
    reply.save(update_fields=["status", "return_note", "returned_by", "returned_at", "updated_at"])
    event = case_event_record(
        case=reply.case,
        kind=EventKind.REPLY_RETURNED,
        actor=by,
        is_public=False,
        message=note,
        data={"reply": reply.pk},
    )
    if reply.author_id != by.pk:
        staff_notify(case=reply.case, event=event, users=[reply.author])
    return reply


def _number(reply: Reply, now) -> None:
    """Give *reply* the next letter number of its numbering unit's year, under a row lock.

    The lock on the settings row makes concurrent publications wait for each other; the
    unique constraint on (unit, year, sequence) is the last guard.
    """
    found = reply_settings_for(reply.case.unit)
    if found.pk is None:
        found, _created = ReplySettings.objects.get_or_create(unit=reply.case.unit)
    settings = (
        ReplySettings.objects.select_for_update(of=("self",))
        .select_related("unit", "unit__organisation")
        .get(pk=found.pk)
    )
    local = timezone.localtime(now, settings.unit.tz)
    seq = settings.sequence_last + 1 if settings.sequence_year == local.year else 1
    settings.sequence_year, settings.sequence_last = local.year, seq
    settings.save(update_fields=["sequence_year", "sequence_last", "updated_at"])
    reply.letter_unit, reply.letter_year, reply.letter_seq = settings.unit, local.year, seq
    # The letterhead and signer as they are today: a letter once sent never changes.
    reply.letter_data = {
        "agency": settings.agency_line,
        "unit": settings.unit_line,
        "address": settings.address_line,
        "place": settings.place,
        "signer_name": settings.signer_name,
        "signer_title": settings.signer_title,
        "signer_nip": settings.signer_nip,
    }
    reply.letter_number = letter_number(
        settings.number_format,
        seq=seq,
        digits=settings.sequence_digits,
        unit_code=settings.code,
        year=local.year,
        month=local.month,
    )


def _publish(reply: Reply, *, by) -> Reply:
    """Make *reply* public through the case workflow (which notifies every reporter)."""
    now = timezone.now()
    case = reply.case
    data = {"reply": reply.pk, "author": reply.author_id}
    if reply.approved_by_id:
        data["approved_by"] = reply.approved_by_id
    if reply.is_final:
        _number(reply, now)
        data["letter_number"] = reply.letter_number
        case_respond(case=case, by=by, message=reply.body, data=data)
    else:
        case_progress_update(case=case, by=by, message=reply.body, data=data)
    reply.status, reply.published_at = ReplyStatus.PUBLISHED, now
    reply.submitted_at = reply.submitted_at or now
    reply.save(
        update_fields=[
            "status",
            "published_at",
            "submitted_at",
            "approved_by",
            "approved_at",
            "letter_unit",
            "letter_year",
            "letter_seq",
            "letter_number",
            "letter_data",
            "updated_at",
        ]
    )
    return reply
