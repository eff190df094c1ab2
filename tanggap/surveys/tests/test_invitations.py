"""SKM invitations after a resolved case: who is invited, once, and in which language."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tanggap.cases.choices import CaseStatus, EventKind, RejectReason
from tanggap.cases.models import CaseEvent
from tanggap.cases.sweeps import case_sweep
from tanggap.cases.workflow import (
    case_archive,
    case_assign,
    case_reject,
    case_reopen,
    case_request_information,
    case_resolve,
    case_respond,
    case_withdraw,
)
from tanggap.common.crypto import decrypt_text
from tanggap.intake.models import Reporter
from tanggap.intake.services import report_attach
from tanggap.intake.tests.factories import submit_report
from tanggap.notifications.models import Notification
from tanggap.responses.services.verdicts import verdict_record
from tanggap.surveys import invitations
from tanggap.surveys.invitations import SETTLE, VALID_FOR, invitations_send, token_digest
from tanggap.surveys.models import InvitationWatermark, SurveyInvitation
from tanggap.surveys.tests.factories import SurveyPeriodFactory
from tanggap.surveys.tests.invited import resolved_report, send_later, token_of

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2026, 11, 16, 10, 0, tzinfo=WIB)
FOOTER = {
    "id": "Pesan ini dikirim otomatis; balasan ke pesan ini tidak dibaca.",
    "en": "This message was sent automatically; replies to it are not read.",
}


@pytest.fixture
def period(spkt):
    return SurveyPeriodFactory(unit=spkt)


def recipients():
    return sorted(
        decrypt_text(n.recipient_enc)
        for n in Notification.objects.filter(key__startswith="skm-invitation:")
    )


def test_each_reporter_with_an_email_is_invited_once(spkt, officer, period):
    # given a case reported four times: by Budi, by Siti, without an e-mail, and by Budi again
    first = submit_report(spkt).report
    others = [
        submit_report(spkt, email="siti@example.com").report,
        submit_report(spkt, email="").report,
        submit_report(spkt, email="BUDI@example.com").report,
    ]
    for report in others:
        report_attach(report=report, case=first.case, by=officer)
    case_assign(case=first.case, by=officer)
    case_resolve(case=first.case, by=officer)

    # when the invitations are sent
    sent = send_later()

    # then Budi and Siti each get one invitation to the unit's period, valid for 30 days
    assert sent == 2
    assert recipients() == ["budi@example.com", "siti@example.com"]
    rows = list(SurveyInvitation.objects.order_by("report_id"))
    assert [r.report for r in rows] == [first, others[0]]
    assert all(r.period == period and r.used_at is None for r in rows)
    assert all(r.expires_at - r.sent_at == VALID_FOR for r in rows)
    # and only the e-mail carries the token; the row keeps its keyed digest
    token = token_of(rows[0])
    assert rows[0].token_digest == token_digest(token) and token not in rows[0].token_digest


@pytest.mark.parametrize("how", ["officer", "citizen", "silence"])
def test_every_way_of_resolving_leads_to_an_invitation(spkt, officer, period, how):
    # given a case resolved by an officer, by the reporter's acceptance, or by silence
    report = submit_report(spkt).report
    case = report.case
    now = timezone.now()
    if how == "officer":
        case_assign(case=case, by=officer)
        case_resolve(case=case, by=officer)
    else:
        case_respond(case=case, by=officer, message="Petugas loket sudah kami tambah.")
        if how == "citizen":
            verdict_record(report=report, rating=5, comment="", accept=True)
        else:
            now += timedelta(days=11)
            with time_machine.travel(now, tick=False):
                case_sweep(case_id=case.pk, now=now)
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED

    # when the invitations are sent
    send_later(now)

    # then the reporter is invited
    assert SurveyInvitation.objects.filter(report=report).count() == 1


def test_no_invitation_without_an_open_period(spkt, officer, dpmptsp):
    # given periods that do not take answers today: closed early, ended, or of another unit
    today = timezone.localdate()
    SurveyPeriodFactory(unit=spkt, is_closed=True)
    SurveyPeriodFactory(
        unit=spkt, starts_on=today - timedelta(days=60), ends_on=today - timedelta(days=1)
    )
    SurveyPeriodFactory(unit=dpmptsp)
    resolved_report(spkt, officer)

    # when the invitations are sent
    sent = send_later()

    # then nobody is invited
    assert sent == 0 and not SurveyInvitation.objects.exists()
    assert not Notification.objects.filter(key__startswith="skm-invitation:").exists()


def test_no_invitation_without_an_email(spkt, officer, period):
    resolved_report(spkt, officer, email="")

    assert send_later() == 0 and not SurveyInvitation.objects.exists()


def _rejected(spkt, officer, supervisor):
    case = submit_report(spkt).report.case
    case_reject(case=case, by=officer, reason=RejectReason.SPAM, note="Pesan berulang tanpa isi.")


def _withdrawn(spkt, officer, supervisor):
    case = submit_report(spkt).report.case
    case_request_information(case=case, by=officer, message="Mohon kirim nomor antrean Anda.")
    case_withdraw(case=case, by=officer)


def _archived_after_resolving(spkt, officer, supervisor):
    case = resolved_report(spkt, officer).case
    case.refresh_from_db()
    case_archive(case=case, by=supervisor)


@pytest.mark.parametrize("close", [_rejected, _withdrawn, _archived_after_resolving])
def test_cases_closed_otherwise_get_no_invitation(spkt, officer, supervisor, period, close):
    # given a case rejected, withdrawn, or resolved and then archived before the run
    close(spkt, officer, supervisor)

    # when the invitations are sent, then nobody is invited
    assert send_later() == 0 and not SurveyInvitation.objects.exists()


def test_a_second_run_sends_nothing_new(spkt, officer, period):
    # given a run that invited the reporter of a resolved case
    resolved_report(spkt, officer)
    assert send_later() == 1

    # when it runs again, and again after another case is resolved
    again = send_later()
    later = resolved_report(spkt, officer, email="siti@example.com")
    third = send_later()

    # then the second run sends nothing and the third only the new one
    assert (again, third) == (0, 1)
    assert SurveyInvitation.objects.count() == 2
    assert SurveyInvitation.objects.filter(report=later).exists()
    assert Notification.objects.filter(key__startswith="skm-invitation:").count() == 2


def test_a_case_resolved_again_in_the_same_period_is_not_invited_twice(
    spkt, officer, supervisor, period
):
    report = resolved_report(spkt, officer)
    send_later()
    case = report.case
    case.refresh_from_db()
    case_reopen(case=case, by=supervisor, reason="Jawaban belum menjawab keluhan.")
    case_resolve(case=case, by=officer)

    assert send_later() == 0 and SurveyInvitation.objects.count() == 1


def test_a_fresh_resolution_waits_for_the_next_run(spkt, officer, period):
    # given a case resolved a moment ago (its transaction might still be committing elsewhere)
    resolved_report(spkt, officer)

    # when a run starts at once, and another once the settle time has passed
    now = invitations_send(now=timezone.now())
    later = invitations_send(now=timezone.now() + SETTLE + timedelta(seconds=1))

    # then the first leaves it and the second invites
    assert (now, later) == (0, 1)


def test_the_services_own_period_wins_and_names_the_service(spkt, officer):
    # given a unit-wide period and a period for the SKCK service
    skck = spkt.services.get()
    SurveyPeriodFactory(unit=spkt)
    own = SurveyPeriodFactory(unit=spkt, service=skck, name="SKCK Semester II 2026")

    # when a case about SKCK is resolved
    report = resolved_report(spkt, officer, service=skck)
    send_later()

    # then the reporter is invited to the service's period, for that service
    invitation = SurveyInvitation.objects.get(report=report)
    assert (invitation.period, invitation.service) == (own, skck)


def test_the_unit_period_names_the_cases_service(spkt, officer, period):
    skck = spkt.services.get()

    report = resolved_report(spkt, officer, service=skck)
    send_later()

    assert SurveyInvitation.objects.get(report=report).service == skck


def test_runs_read_in_batches_and_leave_the_watermark_at_the_last(
    spkt, officer, period, monkeypatch
):
    # given five resolved cases and batches of two
    monkeypatch.setattr(invitations, "BATCH_SIZE", 2)
    for n in range(5):
        resolved_report(spkt, officer, email=f"warga{n}@example.com")

    # when the invitations are sent
    sent = send_later()

    # then all five are invited, and the watermark stands at the last resolution read
    assert sent == 5
    mark = InvitationWatermark.objects.get()
    last = CaseEvent.objects.filter(kind=EventKind.RESOLVED).order_by("at", "pk").last()
    assert (mark.read_until, mark.last_event_id) == (last.at, last.pk)


def test_a_second_run_costs_the_same_however_many_cases_were_resolved(spkt, officer, period):
    def second_run_queries(n):
        for i in range(n):
            resolved_report(spkt, officer, email=f"warga{n}-{i}@example.com")
        send_later()
        with CaptureQueriesContext(connection) as queries:
            assert send_later() == 0
        return len(queries)

    # given runs after 1 and after 12 more resolved cases: the second run of each reads
    # only the watermark and an empty range of the event index
    assert second_run_queries(1) == second_run_queries(12)


def test_one_broken_address_does_not_hold_up_the_others(spkt, officer, period):
    # given two resolved cases, the first with an e-mail no key can open
    broken = resolved_report(spkt, officer)
    Reporter.objects.filter(report=broken).update(email_enc="not-a-ciphertext")
    fine = resolved_report(spkt, officer, email="siti@example.com")

    # when the invitations are sent
    sent = send_later()

    # then the second is invited, and the run moved past both
    assert sent == 1 and SurveyInvitation.objects.get().report == fine
    assert send_later() == 0


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_email_speaks_the_reporters_language(
    spkt, officer, language, django_capture_on_commit_callbacks
):
    # given a report sent in the reporter's language, resolved on Monday 16 November 2026
    with time_machine.travel(MONDAY, tick=False):
        SurveyPeriodFactory(unit=spkt)
        report = resolved_report(spkt, officer, language=language)

        # when the invitations are sent (and delivered once the transaction commits)
        with django_capture_on_commit_callbacks(execute=True):
            send_later(MONDAY)

    # then the e-mail goes to the reporter, in their language, with the link and its expiry
    invitation = SurveyInvitation.objects.get(report=report)
    message = [m for m in mail.outbox if m.to == ["budi@example.com"]][-1]
    assert invitation.language == language
    assert f"/skm/undangan/{token_of(invitation)}/" in message.body
    assert FOOTER[language] in message.body
    until = {"id": "16 Desember 2026", "en": "16 December 2026"}[language]
    assert until in message.body
    assert spkt.name in message.subject and report.tracking_code in message.body
    if language == "en":
        assert message.subject == f"How was the service of {spkt.name}? A short survey"


def test_the_template_leaves_nothing_unfilled(spkt, officer, period):
    resolved_report(spkt, officer)
    send_later()

    body = Notification.objects.get(key__startswith="skm-invitation:").body
    for leftover in ("{{", "{%", "None", "%(", "&lt;", "&amp;"):
        assert leftover not in body


def test_the_command_runs_now_or_enqueues(spkt, officer, period):
    resolved_report(spkt, officer)
    out = StringIO()

    with time_machine.travel(timezone.now() + timedelta(minutes=10), tick=False):
        call_command("skm_invitations", "--now", stdout=out)
        call_command("skm_invitations", stdout=out)

    assert "Invited 1 reporters" in out.getvalue()
    assert "SKM invitations enqueued" in out.getvalue()
    assert SurveyInvitation.objects.count() == 1
