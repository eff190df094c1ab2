"""Resolved cases and their SKM invitations, built through the real services."""

import re
from datetime import timedelta

from django.utils import timezone

from tanggap.cases.workflow import case_assign, case_resolve
from tanggap.intake.tests.factories import submit_report
from tanggap.notifications.models import Notification
from tanggap.surveys.invitations import SETTLE, invitations_send
from tanggap.surveys.models import SurveyInvitation

LINK = re.compile(r"/skm/undangan/([\w-]+)/")


def resolved_report(unit, officer, **fields):
    """Submit a report to *unit*, dispose it and resolve it by *officer*; return the report."""
    report = submit_report(unit, **fields).report
    case_assign(case=report.case, by=officer)
    case_resolve(case=report.case, by=officer)
    return report


def send_later(now=None) -> int:
    """Run the invitations once the resolutions so far are older than the settle time."""
    return invitations_send(now=(now or timezone.now()) + SETTLE + timedelta(seconds=1))


def token_of(invitation: SurveyInvitation) -> str:
    """Return the token of *invitation* from its e-mail, the only place it is written."""
    body = Notification.objects.get(key=f"skm-invitation:{invitation.pk}").body
    return LINK.search(body).group(1)


def invited(unit, officer, **fields) -> tuple[SurveyInvitation, str]:
    """Resolve a report of *unit*, send the invitations and return its invitation and token."""
    report = resolved_report(unit, officer, **fields)
    send_later()
    invitation = SurveyInvitation.objects.get(report=report)
    return invitation, token_of(invitation)
