"""Invitations to the SKM after a resolved case: sent once per report and period, used once."""

import logging
import secrets
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from tanggap.cases.choices import CaseStatus, EventKind
from tanggap.cases.models import Case, CaseEvent
from tanggap.common.crypto import decrypt_text
from tanggap.common.exceptions import ApplicationError
from tanggap.notifications.models import NotificationChannel
from tanggap.notifications.services import notification_queue

from .choices import ResponseChannel
from .models import InvitationWatermark, SurveyInvitation, SurveyPeriod, SurveyResponse
from .selectors import open_period_for
from .services import ResponseInput, response_record

logger = logging.getLogger(__name__)

VALID_FOR = timedelta(days=30)
# A resolution is read only once its transaction has surely committed: a case resolved at
# 10:00:00 whose transaction commits a moment later must not fall behind the watermark.
SETTLE = timedelta(minutes=5)
# The very first run (no watermark yet) also invites for the day before it.
FIRST_LOOKBACK = timedelta(days=1)
BATCH_SIZE = 200
TOKEN_BYTES = 24
MAX_TOKEN_LENGTH = 64

# Why an invitation cannot be answered; each answers the page with this status.
UNKNOWN, USED, EXPIRED, CLOSED = "unknown", "used", "expired", "closed"


def token_digest(token: str) -> str:
    """Return the keyed digest of an invitation token, so the database alone cannot reveal it."""
    return salted_hmac("tanggap.surveys.invitation", token, algorithm="sha256").hexdigest()


def _watermark(upto: datetime) -> InvitationWatermark:
    """Return the watermark row locked for this batch, creating it on the first run."""
    InvitationWatermark.objects.get_or_create(pk=1, defaults={"read_until": upto - FIRST_LOOKBACK})
    return InvitationWatermark.objects.select_for_update().get(pk=1)


def _resolutions(mark: InvitationWatermark, upto: datetime) -> list[tuple[datetime, int, int]]:
    """Return (at, event id, case id) of the next resolutions after *mark*, up to *upto*.

    One range of the index on CaseEvent.at, read by keyset: each resolution comes once.
    """
    after = Q(at__gt=mark.read_until) | Q(at=mark.read_until, pk__gt=mark.last_event_id)
    return list(
        CaseEvent.objects.filter(kind=EventKind.RESOLVED, at__lte=upto)
        .filter(after)
        .order_by("at", "pk")
        .values_list("at", "pk", "case_id")[:BATCH_SIZE]
    )


def _period_for(case: Case, day, cache: dict) -> SurveyPeriod | None:
    """Return the open period for the case's service (its own first), else its unit's."""
    key = (case.unit_id, case.service_id)
    if key not in cache:
        period = None
        if case.service_id:
            period = open_period_for(unit=case.service.unit, service=case.service, day=day)
        cache[key] = period or open_period_for(unit=case.unit, day=day)
    return cache[key]


def _email_of(report) -> str:
    reporter = getattr(report, "reporter", None)
    return decrypt_text(reporter.email_enc).strip() if reporter else ""


def _invite(*, period: SurveyPeriod, case: Case, report, email: str, now: datetime):
    """Create one invitation and queue its e-mail (the only place the token is written)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    service = period.service
    if service is None and case.service_id and case.service.unit_id == period.unit_id:
        service = case.service
    invitation = SurveyInvitation.objects.create(
        period=period,
        report=report,
        service=service,
        language=report.language,
        token_digest=token_digest(token),
        sent_at=now,
        expires_at=now + VALID_FOR,
    )
    notification_queue(
        channel=NotificationChannel.EMAIL,
        recipient=email,
        template="skm_invitation",
        reference=report.tracking_code,
        key=f"skm-invitation:{invitation.pk}",
        case=case,
        language=report.language,
        context={
            "invitation": invitation,
            "period": period,
            "unit": period.unit,
            "service": service,
            "report": report,
            "invitation_url": settings.SITE_URL.rstrip("/")
            + reverse("surveys:invitation", args=[token]),
        },
    )
    return invitation


def _invite_case(case: Case, reports: list, *, now: datetime, periods: dict) -> int:
    """Invite each reporter of *case* with an e-mail, once per address; return how many."""
    period = _period_for(case, timezone.localdate(now), periods)
    if period is None:
        return 0
    invited_before = set(
        SurveyInvitation.objects.filter(period=period, report__in=reports).values_list(
            "report_id", flat=True
        )
    )
    addresses, sent = set(), 0
    for report in reports:
        email = _email_of(report)
        # One person who reported the matter twice answers once.
        if not email or email.lower() in addresses or report.pk in invited_before:
            continue
        addresses.add(email.lower())
        _invite(period=period, case=case, report=report, email=email, now=now)
        sent += 1
    return sent


@transaction.atomic
def _send_batch(*, now: datetime, upto: datetime) -> tuple[int, bool]:
    """Invite for the next batch of resolutions and move the watermark past it.

    Return (invitations sent, whether more may follow). The locked watermark makes a
    concurrent run wait and then start where this one stopped.
    """
    mark = _watermark(upto)
    rows = _resolutions(mark, upto)
    if not rows:
        return 0, False
    case_ids = list(dict.fromkeys(case_id for _at, _pk, case_id in rows))
    # Only a case still resolved now: one reopened or archived since is not invited.
    cases = Case.objects.filter(pk__in=case_ids, status=CaseStatus.RESOLVED).select_related(
        "unit", "service__unit"
    )
    reports = {}
    report_model = apps.get_model("intake", "Report")
    for report in (
        report_model.objects.filter(case_id__in=case_ids)
        .select_related("reporter")
        .order_by("created_at", "pk")
    ):
        reports.setdefault(report.case_id, []).append(report)
    sent, periods = 0, {}
    for case in cases:
        try:
            with transaction.atomic():
                sent += _invite_case(case, reports.get(case.pk, []), now=now, periods=periods)
        except Exception:
            # One broken case (an undecryptable address) must not hold up every later one.
            logger.exception("SKM invitation for case %s failed", case.pk)
    mark.read_until, mark.last_event_id = rows[-1][0], rows[-1][1]
    mark.save(update_fields=["read_until", "last_event_id"])
    return sent, len(rows) == BATCH_SIZE


def invitations_send(*, now: datetime | None = None) -> int:
    """Invite the reporters of the cases resolved since the last run; return how many.

    Each reporter who gave an e-mail is invited once per report and open survey period of the
    case's service or unit. A run reads only resolutions after the watermark (and at least
    SETTLE old), in batches, each in its own transaction; running twice sends nothing twice.
    """
    now = now or timezone.now()
    upto = now - SETTLE
    sent, more = 0, True
    while more:
        count, more = _send_batch(now=now, upto=upto)
        sent += count
    return sent


def invitation_by_token(token: str) -> SurveyInvitation | None:
    """Return the invitation a link's token names, or None for an unknown one."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return (
        SurveyInvitation.objects.select_related("period__unit", "service")
        .filter(token_digest=token_digest(token))
        .first()
    )


def invitation_problem(invitation: SurveyInvitation | None, *, now=None) -> str | None:
    """Return why *invitation* cannot be answered now (unknown, used, expired, closed), or None."""
    now = now or timezone.now()
    if invitation is None:
        return UNKNOWN
    if invitation.used_at is not None:
        return USED
    if invitation.expires_at <= now:
        return EXPIRED
    if not invitation.period.is_open_on(timezone.localdate(now)):
        return CLOSED
    return None


def _refusal(problem: str) -> ApplicationError:
    messages = {
        UNKNOWN: _("This invitation link is not valid."),
        USED: _("This invitation has already been used."),
        EXPIRED: _("This invitation has expired."),
        CLOSED: _("This survey period is closed."),
    }
    return ApplicationError(messages[problem], code=problem)


@transaction.atomic
def invitation_respond(
    *,
    invitation: SurveyInvitation,
    answers: dict,
    profile: dict,
    extra_answers: dict | None = None,
    service=None,
    client_key=None,
    now: datetime | None = None,
) -> SurveyResponse:
    """Record the invited respondent's answers and use the invitation up, in one transaction.

    The invitation row is locked and checked again first, so of two submits at once one
    stores a response and the other is refused. The response gets channel "invitation" and
    nothing that leads back to the invitation, the report or the reporter.
    """
    now = now or timezone.now()
    invitation = (
        SurveyInvitation.objects.select_for_update(of=("self",))
        .select_related("period__unit", "service")
        .get(pk=invitation.pk)
    )
    if problem := invitation_problem(invitation, now=now):
        raise _refusal(problem)
    period = invitation.period
    profile = dict(profile)
    if period.requires_code:
        # The one-time link is the proof a ticket code gives elsewhere; a random code that
        # is kept nowhere else satisfies "one response per code" and links to nothing.
        profile["ticket_code"] = f"UND-{secrets.token_hex(8)}"
    response, _created = response_record(
        ResponseInput(
            period=period,
            channel=ResponseChannel.INVITATION,
            answers=answers,
            extra_answers=extra_answers,
            service=invitation.service or service,
            client_key=client_key,
            # No source digest: the token already proves the respondent was invited, and a
            # digest of their address would be one more trace of who answered.
            source="",
            answered_on=timezone.localdate(now),
            **profile,
        )
    )
    invitation.used_at = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    invitation.save(update_fields=["used_at"])
    return response
