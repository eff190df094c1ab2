"""Fixtures of improvement actions and incidents: cases with reporters, an action, an incident."""

import pytest

from tanggap.improvements.services import action_create, incident_create
from tanggap.intake.services import report_attach
from tanggap.intake.tests.factories import submit_report


def new_case(unit, **overrides):
    """Submit a report to *unit* and return its case."""
    return submit_report(unit, **overrides).report.case


def notified_about(event):
    """Return the notifications queued for *event* (one per reporter with an e-mail)."""
    from tanggap.notifications.models import Notification

    return Notification.objects.filter(key__startswith=f"event:{event.pk}:report:")


@pytest.fixture
def two_reporter_case(spkt, officer):
    """A case that two citizens reported (the second report joined it as a duplicate)."""
    case = new_case(spkt)
    second = submit_report(spkt, email="sari@example.com", name="Sari").report
    report_attach(report=second, case=case, by=officer)
    return case


@pytest.fixture
def action(spkt, supervisor, officer):
    return action_create(
        unit=spkt,
        by=supervisor,
        title="Loket SKCK buka tepat waktu",
        description="Jadwal piket loket SKCK diubah agar loket buka pukul 08.00 setiap hari.",
        owner=officer,
    )


@pytest.fixture
def incident(spkt, officer):
    return incident_create(
        unit=spkt,
        by=officer,
        title="Sistem antrean SKCK mati",
        description="Mesin antrean SKCK mati sejak pagi; petugas mencatat antrean secara manual.",
    )
