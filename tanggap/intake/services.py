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
from tanggap.cases.choices import EventKind
from tanggap.cases.events import case_event_record
from tanggap.cases.services import case_open, case_text_add
from tanggap.common.crypto import decrypt_text, encrypt_text
from tanggap.common.exceptions import ApplicationError
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


def report_submit(data: ReportInput) -> Submission:
    """Record a report with its case, reporter and files; a repeated submission key is a no-op."""
    if data.submission_key and (
        existing := Report.objects.filter(submission_key=data.submission_key).first()
    ):
        return Submission(report=existing, pin=None, link_token=None, created=False)
    _check_consistency(data)
    for attempt in range(3):
        try:
            return _report_create(data)
        except IntegrityError:
            # Two copies of one form raced: the first one won and is the report.
            existing = Report.objects.filter(submission_key=data.submission_key).first()
            if data.submission_key and existing:
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
    )
    # An anonymous reporter keeps no name; a contact for updates is still theirs to give.
    Reporter.objects.create(
        report=report,
        name_enc="" if data.is_anonymous else encrypt_text(data.name.strip()),
        email_enc=encrypt_text(data.email.strip()),
        phone_enc=encrypt_text(data.phone.strip()),
    )
    _save_files(report, data.files, added_later=False)
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
    reporter = Reporter.objects.get(report=report)
    return Identity(
        name=decrypt_text(reporter.name_enc),
        email=decrypt_text(reporter.email_enc),
        phone=decrypt_text(reporter.phone_enc),
    )
