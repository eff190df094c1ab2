"""Writes for intake: submitting reports, adding information, opening a reporter's identity."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from tanggap.accounts.models import Category, Counter, Service, Unit
from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import user_can
from tanggap.cases.choices import CLOSED_STATUSES, CaseStatus, EventKind
from tanggap.cases.events import case_event_record
from tanggap.cases.models import Case
from tanggap.cases.services import case_open, case_text_add
from tanggap.cases.workflow import case_archive, case_information_received, case_mark_urgent
from tanggap.common.crypto import decrypt_text, encrypt_text
from tanggap.common.exceptions import ApplicationError
from tanggap.insights import urgency
from tanggap.notifications.models import NotificationChannel
from tanggap.notifications.services import notification_queue

from .models import Attachment, IdentityAccess, Report, Reporter
from .tracking import new_pin, new_secret_token, new_tracking_code
from .uploads import CleanFile

MAX_ATTACHMENTS_PER_REPORT = 10


def secret_digest(purpose: str, value: str) -> str:
    """Return a keyed digest of a PIN or link token, so the database alone cannot reveal it."""
    return salted_hmac(f"tanggap.intake.{purpose}", value, algorithm="sha256").hexdigest()


@dataclass
class ReportInput:
    """What any channel hands to report_submit, already validated for shape."""

    unit: Unit
    kind: str
    channel: str
    title: str
    description: str
    service: Service | None = None
    category: Category | None = None
    counter: Counter | None = None
    occurred_at: datetime | None = None
    location_text: str = ""
    language: str = "id"
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    is_anonymous: bool = False
    is_confidential: bool = False
    name: str = ""
    email: str = ""
    phone: str = ""
    files: list[CleanFile] = field(default_factory=list)
    submission_key: object = None
    received_by: object = None
    external_source: str = ""
    external_ref: str = ""
    # An import: when the other system received it (deadlines count from then); *historical*
    # when it was already finished there, so nobody is handed, alerted or sent a receipt.
    received_at: datetime | None = None
    historical: bool = False


@dataclass
class Submission:
    report: Report
    pin: str | None
    link_token: str | None
    created: bool


def _check_consistency(data: ReportInput) -> None:
    if data.service and data.service.unit_id != data.unit.pk:
        raise ApplicationError(_("The service does not belong to the chosen unit."), code="service")
    if data.counter and data.counter.unit_id != data.unit.pk:
        raise ApplicationError(_("The counter does not belong to the chosen unit."), code="counter")
    if data.category and data.category.organisation_id != data.unit.organisation_id:
        raise ApplicationError(
            _("The category does not belong to the chosen unit."), code="category"
        )
    if data.received_by is not None and not user_can(
        data.received_by, Capability.ENTER_REPORTS, data.unit
    ):
        raise ApplicationError(_("You cannot enter reports for this unit."), code="forbidden")


def _save_files(report: Report, files: list[CleanFile], *, added_later: bool) -> None:
    for clean in files:
        attachment = Attachment(
            report=report,
            name=clean.name,
            content_type=clean.content_type,
            size=clean.size,
            sha256=clean.sha256,
            added_later=added_later,
        )
        attachment.file.save(clean.name, ContentFile(clean.data), save=False)
        attachment.save()


def normalize_phone(value: str) -> str:
    """Return an Indonesian phone number as digits with country code 62: 0812… = +62812…."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    return digits


def contact_digest(kind: str, value: str) -> str:
    """Return the keyed digest used to find a reporter by phone or e-mail; empty for no contact."""
    value = normalize_phone(value) if kind == "phone" else value.strip().lower()
    return secret_digest(f"contact.{kind}", value) if value else ""


def _existing(data: ReportInput) -> Report | None:
    if data.submission_key and (
        found := Report.objects.filter(submission_key=data.submission_key).first()
    ):
        return found
    if data.external_ref:
        return Report.objects.filter(
            external_source=data.external_source, external_ref=data.external_ref
        ).first()
    return None


def report_submit(data: ReportInput) -> Submission:
    """Record a report with its case, reporter and files; a repeated submission is a no-op.

    A submission repeats when its submission key, or its external source and reference, are
    already stored: a retried form, API call, webhook or import row returns the first report.
    """
    if existing := _existing(data):
        return Submission(report=existing, pin=None, link_token=None, created=False)
    _check_consistency(data)
    for attempt in range(3):
        try:
            return _report_create(data)
        except IntegrityError:
            # Two copies of one submission raced: the first one won and is the report.
            if existing := _existing(data):
                return Submission(report=existing, pin=None, link_token=None, created=False)
            # Otherwise a tracking code collided (about 2^35 codes): draw again.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def _report_create(data: ReportInput) -> Submission:
    code, pin, token = new_tracking_code(), new_pin(), new_secret_token()
    confidential = data.is_confidential
    case = case_open(
        unit=data.unit,
        reference=code,
        kind=data.kind,
        channel=data.channel,
        title=data.title,
        text=data.description,
        category=data.category,
        service=data.service,
        is_confidential=confidential,
        actor=data.received_by,
        location_text=data.location_text,
        received_at=data.received_at,
        route=not data.historical,
    )
    report = Report.objects.create(
        case=case,
        unit=data.unit,
        kind=data.kind,
        channel=data.channel,
        service=data.service,
        category=data.category,
        counter=data.counter,
        title=data.title,
        description=data.description,
        occurred_at=data.occurred_at,
        location_text=data.location_text,
        latitude=data.latitude,
        longitude=data.longitude,
        is_anonymous=data.is_anonymous,
        is_confidential=confidential,
        tracking_code=code,
        pin_digest=secret_digest("pin", f"{code}:{pin}"),
        link_digest=secret_digest("link", token),
        received_by=data.received_by,
        submission_key=data.submission_key,
        language=data.language,
        external_source=data.external_source,
        external_ref=data.external_ref,
    )
    # An anonymous reporter keeps no name; a contact for updates is still theirs to give.
    Reporter.objects.create(
        report=report,
        name_enc="" if data.is_anonymous else encrypt_text(data.name.strip()),
        email_enc=encrypt_text(data.email.strip()),
        phone_enc=encrypt_text(data.phone.strip()),
        phone_digest=contact_digest("phone", data.phone),
        email_digest=contact_digest("email", data.email),
    )
    _save_files(report, data.files, added_later=False)
    if data.received_at:
        # created_at is stamped on insert; an imported report was received when it says.
        Report.objects.filter(pk=report.pk).update(created_at=data.received_at)
    if data.historical:
        return Submission(report=report, pin=None, link_token=None, created=True)
    if (found := urgency.assess(f"{data.title}\n{data.description}")).is_urgent:
        # Danger to life or safety goes to the front of the queue and alerts the unit now.
        report.case = case_mark_urgent(case=case, reasons=list(found.reasons))
    if email := data.email.strip():
        _queue_receipt(report, email)
    return Submission(report=report, pin=pin, link_token=token, created=True)


def _queue_receipt(report: Report, email: str) -> None:
    # The e-mail carries the code but never the PIN or the private link.
    notification_queue(
        channel=NotificationChannel.EMAIL,
        recipient=email,
        template="receipt",
        reference=report.tracking_code,
        key=f"receipt:{report.pk}",
        case=report.case,
        language=report.language,
        context={
            "report": report,
            "case": report.case,
            "tracking_url": settings.SITE_URL.rstrip("/") + reverse("intake:track"),
        },
    )


@transaction.atomic
def report_add_information(*, report: Report, message: str, files: list[CleanFile]) -> None:
    """Add the reporter's further information and files to the report's case timeline."""
    message = message.strip()
    if not message and not files:
        raise ApplicationError(_("Write some information or attach a file."), code="empty")
    if report.attachments.count() + len(files) > MAX_ATTACHMENTS_PER_REPORT:
        raise ApplicationError(
            _("A report can hold at most %(n)d files.") % {"n": MAX_ATTACHMENTS_PER_REPORT},
            code="too_many_files",
        )
    _save_files(report, files, added_later=True)
    if message:
        case_text_add(case=report.case, text=message)
    case_event_record(
        case=report.case,
        kind=EventKind.INFORMATION_ADDED,
        message=message,
        data={"report": report.tracking_code, "files": [f.name for f in files]},
    )
    if Case.objects.filter(pk=report.case_id, status=CaseStatus.WAITING_CITIZEN).exists():
        # The missing information arrived: the unit's clock runs again.
        case_information_received(case=report.case)
    if message and (found := urgency.assess(message)).is_urgent:
        # Danger written in later (a threat since the report, say) raises the case as at intake.
        case_mark_urgent(case=report.case, reasons=list(found.reasons))


def _may_add(user, report: Report, case: Case) -> bool:
    """Return whether *user* may add files: a handler of the case, or whoever entered it."""
    if user_can(user, Capability.HANDLE_CASES, case.unit):
        return True
    return report.received_by_id == user.pk and user_can(
        user, Capability.ENTER_REPORTS, report.unit
    )


@transaction.atomic
def report_files_add(*, report: Report, files: list[CleanFile], by) -> list[CleanFile]:
    """Add staff's files to *report*; a file the report already holds is not stored twice.

    Return the files stored. The case row is locked so two uploads cannot pass the limit.
    """
    case = (
        Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=report.case_id)
    )
    if not _may_add(by, report, case):
        raise ApplicationError(_("Your role may not do this on this case."), code="forbidden")
    if case.status == CaseStatus.ARCHIVED:
        raise ApplicationError(_("An archived case cannot be changed."), code="archived")
    held = set(report.attachments.values_list("sha256", flat=True))
    new = []
    for clean in files:
        if clean.sha256 not in held:
            held.add(clean.sha256)
            new.append(clean)
    if report.attachments.count() + len(new) > MAX_ATTACHMENTS_PER_REPORT:
        raise ApplicationError(
            _("A report can hold at most %(n)d files.") % {"n": MAX_ATTACHMENTS_PER_REPORT},
            code="too_many_files",
        )
    if new:
        _save_files(report, new, added_later=True)
        names = ", ".join(clean.name for clean in new)
        case_event_record(
            case=case,
            kind=EventKind.NOTE,
            actor=by,
            is_public=False,
            message=_("Files added to report %(code)s: %(names)s")
            % {"code": report.tracking_code, "names": names},
            data={"report": report.tracking_code, "files": [clean.name for clean in new]},
        )
    return new


@dataclass
class Identity:
    name: str
    email: str
    phone: str


@transaction.atomic
def identity_reveal(*, user, report: Report, reason: str) -> Identity:
    """Open the reporter's identity for *user*, logging the reason; anonymous reports have none."""
    if not user_can(user, Capability.VIEW_IDENTITY, report.unit):
        raise ApplicationError(_("Your role cannot open reporters' identities."), code="forbidden")
    if report.is_anonymous:
        raise ApplicationError(_("This report is anonymous: there is no identity."), code="anon")
    reason = reason.strip()
    if len(reason) < 10:
        raise ApplicationError(
            _("Give the reason for opening the identity (at least 10 characters)."),
            code="reason",
        )
    IdentityAccess.objects.create(report=report, user=user, reason=reason[:500])
    case_event_record(
        case=report.case,
        kind=EventKind.IDENTITY_OPENED,
        actor=user,
        is_public=False,
        message=reason[:500],
        data={"report": report.tracking_code},
    )
    reporter = Reporter.objects.get(report=report)
    return Identity(
        name=decrypt_text(reporter.name_enc),
        email=decrypt_text(reporter.email_enc),
        phone=decrypt_text(reporter.phone_enc),
    )


@transaction.atomic
def report_attach(*, report: Report, case: Case, by) -> Report:
    """Join *report* to an existing *case* (a duplicate); its reporter then follows that case."""
    source = Case.objects.select_for_update().get(pk=report.case_id)
    target = Case.objects.select_for_update().get(pk=case.pk)
    for c in (source, target):
        if not user_can(by, Capability.HANDLE_CASES, c.unit):
            raise ApplicationError(_("Your role may not do this on this case."), code="forbidden")
    if source.pk == target.pk:
        raise ApplicationError(_("The report already belongs to this case."), code="same")
    if target.organisation_id != source.organisation_id:
        raise ApplicationError(_("Choose a case of the same organisation."), code="organisation")
    if target.status in CLOSED_STATUSES:
        raise ApplicationError(_("A report cannot join a closed case."), code="closed")
    Report.objects.filter(pk=report.pk).update(case=target)
    report.case = target
    case_text_add(case=target, text=f"{report.title}\n{report.description}")
    case_event_record(
        case=target,
        kind=EventKind.REPORT_ATTACHED,
        actor=by,
        data={"report": report.tracking_code, "from_case": source.reference},
    )
    if not source.reports.exists():
        # Its only report moved: the emptied case is archived as merged, not as unserved.
        case_archive(case=source, by=None, merged_into=target)
    else:
        case_event_record(
            case=source,
            kind=EventKind.REPORT_DETACHED,
            actor=by,
            is_public=False,
            data={"report": report.tracking_code, "to_case": target.reference},
        )
    return report


@transaction.atomic
def cases_merge(*, cases: list[Case], into: Case, by) -> int:
    """Move every report of *cases* into *into*; return how many reports moved."""
    moved = 0
    for case in cases:
        if case.pk == into.pk:
            continue
        for report in Report.objects.filter(case=case):
            report_attach(report=report, case=into, by=by)
            moved += 1
    return moved


@transaction.atomic
def report_detach(*, report: Report, by) -> Case:
    """Separate *report* from its case into a new case of its own, received when it was."""
    case = Case.objects.select_for_update().get(pk=report.case_id)
    if not user_can(by, Capability.HANDLE_CASES, case.unit):
        raise ApplicationError(_("Your role may not do this on this case."), code="forbidden")
    if case.reports.count() < 2:
        raise ApplicationError(_("A case's only report cannot be separated."), code="only")
    if case.reference == report.tracking_code:
        raise ApplicationError(
            _("The report that opened the case stays with it; separate the others."),
            code="first",
        )
    reference, n = report.tracking_code, 1
    # A case emptied when this report joined another still holds the code as its reference.
    while Case.objects.filter(reference=reference).exists():
        n += 1
        reference = f"{report.tracking_code}-{n}"
    new_case = case_open(
        unit=case.unit,
        reference=reference,
        kind=report.kind,
        channel=report.channel,
        title=report.title,
        text=report.description,
        category=report.category,
        service=report.service,
        is_confidential=report.is_confidential,
        received_at=report.created_at,
        actor=by,
        location_text=report.location_text,
    )
    Report.objects.filter(pk=report.pk).update(case=new_case)
    report.case = new_case
    case_event_record(
        case=case,
        kind=EventKind.REPORT_DETACHED,
        actor=by,
        is_public=False,
        data={"report": report.tracking_code, "to_case": new_case.reference},
    )
    return new_case
