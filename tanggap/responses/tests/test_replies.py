"""Reply services: drafts, approval, publication with letter numbers, templates, attachments."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UnitFactory, UserFactory
from tanggap.cases.choices import CaseStatus, EventKind, Step
from tanggap.cases.models import CaseEvent
from tanggap.cases.workflow import case_resolve
from tanggap.common.exceptions import ApplicationError
from tanggap.intake.tests.factories import clean_jpeg, submit_report
from tanggap.notifications.models import Notification
from tanggap.responses.choices import ReplyStatus
from tanggap.responses.models import Reply, ReplyAttachment, ReplySettings
from tanggap.responses.services import (
    reply_approve,
    reply_draft_save,
    reply_publish,
    reply_return,
    reply_submit,
    reply_template_render,
)
from tanggap.responses.tests.factories import (
    ReplySettingsFactory,
    ReplyTemplateFactory,
    report_in_progress,
)

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")
ANSWER = "Petugas loket SKCK sudah kami tambah dan jam buka kini tepat pukul 08.00."


def draft(case, by, *, is_final=True, body=ANSWER, **kwargs):
    return reply_draft_save(case=case, by=by, body=body, is_final=is_final, **kwargs)


def with_email(user, address):
    user.email = address
    user.save(update_fields=["email"])
    return user


def test_without_approval_a_final_reply_is_published_numbered_and_mailed(
    spkt, officer, django_capture_on_commit_callbacks
):
    # given a case being handled at a unit that needs no approval
    report = report_in_progress(spkt, officer)
    reply = draft(report.case, officer)

    # when the author submits it
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_submit(reply=reply, by=officer)

    # then it is published with a letter number, the case is replied and the reporter mailed
    case = report.case
    case.refresh_from_db()
    assert reply.status == ReplyStatus.PUBLISHED and reply.published_at
    assert reply.letter_number.startswith("001/")
    assert case.status == CaseStatus.RESPONDED and case.due_step == Step.CITIZEN_REPLY
    event = case.events.get(kind=EventKind.RESPONDED)
    assert event.message == ANSWER and event.is_public
    assert event.data["reply"] == reply.pk and event.data["letter_number"] == reply.letter_number
    assert [m.to for m in mail.outbox if ANSWER in m.body] == [["budi@example.com"]]


def test_an_interim_reply_is_a_progress_update_without_a_number(spkt, officer):
    report = report_in_progress(spkt, officer)

    reply = reply_submit(reply=draft(report.case, officer, is_final=False), by=officer)

    report.case.refresh_from_db()
    assert reply.status == ReplyStatus.PUBLISHED and reply.letter_number == ""
    assert report.case.status == CaseStatus.IN_PROGRESS
    assert report.case.events.filter(kind=EventKind.UPDATE, message=ANSWER).count() == 1


def test_with_approval_a_submitted_reply_waits_and_the_supervisor_is_alerted(
    spkt, officer, supervisor
):
    # given a unit whose replies need approval
    ReplySettingsFactory(unit=spkt, requires_approval=True)
    with_email(supervisor, "kepala@example.com")
    report = report_in_progress(spkt, officer)

    # when the officer submits a reply
    reply = reply_submit(reply=draft(report.case, officer), by=officer)

    # then it waits, the case is not replied, and an internal event alerts the supervisor
    report.case.refresh_from_db()
    assert reply.status == ReplyStatus.PENDING_APPROVAL and reply.letter_number == ""
    assert report.case.status == CaseStatus.IN_PROGRESS
    event = report.case.events.get(kind=EventKind.REPLY_SUBMITTED)
    assert not event.is_public and event.data["reply"] == reply.pk
    alert = Notification.objects.get(key=f"event:{event.pk}:user:{supervisor.pk}")
    assert report.case.reference in alert.subject
    assert not Notification.objects.filter(key__startswith=f"event:{event.pk}:report:").exists()


def test_a_supervisor_approves_and_the_reply_is_published(spkt, officer, supervisor):
    ReplySettingsFactory(unit=spkt, requires_approval=True)
    report = report_in_progress(spkt, officer)
    reply = reply_submit(reply=draft(report.case, officer), by=officer)

    reply = reply_approve(reply=reply, by=supervisor)

    report.case.refresh_from_db()
    assert reply.status == ReplyStatus.PUBLISHED and reply.approved_by == supervisor
    assert report.case.status == CaseStatus.RESPONDED
    assert report.case.events.get(kind=EventKind.RESPONDED).data["approved_by"] == supervisor.pk


def test_the_author_cannot_approve_their_own_reply(spkt, supervisor):
    # given a supervisor who wrote a reply at a unit needing approval
    ReplySettingsFactory(unit=spkt, requires_approval=True)
    report = report_in_progress(spkt, supervisor)
    reply = reply_submit(reply=draft(report.case, supervisor), by=supervisor)

    # when they approve it themselves
    with pytest.raises(ApplicationError) as error:
        reply_approve(reply=reply, by=supervisor)

    # then it is refused and nothing changes
    assert error.value.code == "own_reply"
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.PENDING_APPROVAL and reply.approved_by is None
    assert not report.case.events.filter(kind=EventKind.RESPONDED).exists()


def test_an_officer_cannot_approve(spkt, officer):
    ReplySettingsFactory(unit=spkt, requires_approval=True)
    colleague = UserFactory(username="rekan")
    MembershipFactory(user=colleague, unit=spkt, role=Role.OFFICER)
    report = report_in_progress(spkt, officer)
    reply = reply_submit(reply=draft(report.case, officer), by=officer)

    with pytest.raises(ApplicationError) as error:
        reply_approve(reply=reply, by=colleague)

    assert error.value.code == "forbidden"


def test_direct_publication_is_refused_where_approval_is_required(spkt, officer):
    ReplySettingsFactory(unit=spkt, requires_approval=True)
    report = report_in_progress(spkt, officer)
    reply = draft(report.case, officer)

    with pytest.raises(ApplicationError) as error:
        reply_publish(reply=reply, by=officer)

    assert error.value.code == "approval_required"
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.DRAFT


def test_a_sub_unit_uses_its_parents_settings(spkt, supervisor):
    ReplySettingsFactory(unit=spkt, requires_approval=True)
    child = UnitFactory(organisation=spkt.organisation, parent=spkt, name="Pos Pelayanan")
    report = report_in_progress(child, supervisor)

    reply = reply_submit(reply=draft(report.case, supervisor), by=supervisor)

    assert reply.status == ReplyStatus.PENDING_APPROVAL


def test_a_returned_reply_is_edited_and_submitted_again(spkt, officer, supervisor):
    # given a reply returned with a note
    ReplySettingsFactory(unit=spkt, requires_approval=True)
    with_email(officer, "petugas@example.com")
    report = report_in_progress(spkt, officer)
    reply = reply_submit(reply=draft(report.case, officer), by=officer)
    reply = reply_return(reply=reply, by=supervisor, note="Sebutkan jam layanan yang baru.")
    assert reply.status == ReplyStatus.RETURNED
    event = report.case.events.get(kind=EventKind.REPLY_RETURNED)
    assert not event.is_public and event.message == "Sebutkan jam layanan yang baru."
    assert Notification.objects.filter(key=f"event:{event.pk}:user:{officer.pk}").exists()

    # when the author changes it and submits it again
    reply = draft(report.case, officer, reply=reply, body=ANSWER + " Layanan 08.00–15.00.")
    assert reply.status == ReplyStatus.DRAFT
    reply = reply_submit(reply=reply, by=officer)

    # then it waits for approval again
    assert reply.status == ReplyStatus.PENDING_APPROVAL


def test_returning_needs_a_note(spkt, officer, supervisor):
    ReplySettingsFactory(unit=spkt, requires_approval=True)
    report = report_in_progress(spkt, officer)
    reply = reply_submit(reply=draft(report.case, officer), by=officer)

    with pytest.raises(ApplicationError):
        reply_return(reply=reply, by=supervisor, note="Ubah")

    reply.refresh_from_db()
    assert reply.status == ReplyStatus.PENDING_APPROVAL
    assert not report.case.events.filter(kind=EventKind.REPLY_RETURNED).exists()


def test_only_the_author_changes_or_submits_a_draft(spkt, officer, supervisor):
    report = report_in_progress(spkt, officer)
    reply = draft(report.case, officer)

    with pytest.raises(ApplicationError):
        draft(report.case, supervisor, reply=reply, body="Teks lain yang cukup panjang.")
    with pytest.raises(ApplicationError):
        reply_submit(reply=reply, by=supervisor)

    reply.refresh_from_db()
    assert reply.body == ANSWER and reply.status == ReplyStatus.DRAFT


@pytest.mark.parametrize("body", ["", "   ", "Oke.", "x" * 10001])
def test_a_bad_text_changes_nothing(spkt, officer, body):
    report = report_in_progress(spkt, officer)

    with pytest.raises(ApplicationError) as error:
        draft(report.case, officer, body=body, files=[clean_jpeg()])

    assert error.value.code == "body"
    assert not Reply.objects.exists() and not ReplyAttachment.objects.exists()


def test_an_auditor_cannot_write_a_reply(spkt, auditor):
    report = submit_report(spkt).report

    with pytest.raises(ApplicationError) as error:
        draft(report.case, auditor)

    assert error.value.code == "forbidden" and not Reply.objects.exists()


def test_an_interim_reply_to_a_received_case_is_refused_at_submission(spkt, officer):
    report = submit_report(spkt).report
    reply = draft(report.case, officer, is_final=False)

    with pytest.raises(ApplicationError) as error:
        reply_submit(reply=reply, by=officer)

    assert error.value.code == "illegal_transition"
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.DRAFT


def test_approval_of_a_reply_the_case_can_no_longer_take_changes_nothing(spkt, officer, supervisor):
    # given an interim reply waiting for approval, and the case meanwhile replied
    ReplySettingsFactory(unit=spkt, requires_approval=True)
    report = report_in_progress(spkt, officer)
    interim = reply_submit(reply=draft(report.case, officer, is_final=False), by=officer)
    final = reply_submit(reply=draft(report.case, officer), by=officer)
    reply_approve(reply=final, by=supervisor)
    settings = ReplySettings.objects.get(unit=spkt)

    # when the interim reply is approved
    with pytest.raises(ApplicationError):
        reply_approve(reply=interim, by=supervisor)

    # then it still waits and no number was used
    interim.refresh_from_db()
    assert interim.status == ReplyStatus.PENDING_APPROVAL
    assert ReplySettings.objects.get(unit=spkt).sequence_last == settings.sequence_last


def test_letter_numbers_are_sequential_per_unit_and_start_again_each_year(spkt, officer):
    # given a unit numbering "B/{seq}/{unit}/{roman_month}/{year}" in WITA
    spkt.time_zone = "Asia/Makassar"
    spkt.save()
    ReplySettingsFactory(unit=spkt, number_format="B/{seq}/{unit}/{roman_month}/{year}")
    numbers = []

    # when three replies are published, the last on 1 January local time (31 Dec in UTC)
    for moment in (
        datetime(2026, 12, 30, 10, 0, tzinfo=WITA),
        datetime(2026, 12, 31, 23, 0, tzinfo=WITA),
        datetime(2027, 1, 1, 0, 30, tzinfo=WITA),
    ):
        with time_machine.travel(moment, tick=False):
            report = report_in_progress(spkt, officer, title=f"Laporan {moment:%d%H}")
            numbers.append(reply_submit(reply=draft(report.case, officer), by=officer))

    # then the numbers follow each other and the new year starts at 1
    assert [r.letter_number for r in numbers] == [
        "B/001/SPKT/XII/2026",
        "B/002/SPKT/XII/2026",
        "B/001/SPKT/I/2027",
    ]


def test_units_number_their_letters_apart(spkt, dpmptsp, officer, other_officer):
    first = report_in_progress(spkt, officer)
    second = report_in_progress(dpmptsp, other_officer)

    a = reply_submit(reply=draft(first.case, officer), by=officer)
    b = reply_submit(reply=draft(second.case, other_officer), by=other_officer)

    assert a.letter_seq == b.letter_seq == 1
    assert a.letter_number != b.letter_number
    assert ReplySettings.objects.count() == 2


def test_the_database_refuses_a_number_given_twice(spkt, officer):
    report = report_in_progress(spkt, officer)
    reply = reply_submit(reply=draft(report.case, officer), by=officer)
    other = draft(report.case, officer)

    with pytest.raises(IntegrityError), transaction.atomic():
        Reply.objects.filter(pk=other.pk).update(
            letter_unit=reply.letter_unit, letter_year=reply.letter_year, letter_seq=1
        )


def test_a_template_is_filled_for_the_case_without_the_reporter(spkt, officer):
    # given a template and a case whose reporter gave a name
    template = ReplyTemplateFactory(unit=spkt)
    report = report_in_progress(spkt, officer)

    # when it is rendered on 17 August 2026
    with time_machine.travel(datetime(2026, 8, 17, 9, 0, tzinfo=WITA), tick=False):
        text = reply_template_render(template=template, case=report.case)

    # then the placeholders are filled and the reporter is not named
    assert text == (
        f"Terima kasih atas laporan {report.case.reference} tentang “Antrian SKCK sangat lama” "
        "kepada SPKT Polres Contoh (17 Agustus 2026)."
    )
    assert "Budi" not in text


def test_a_template_with_an_unknown_placeholder_does_not_validate(spkt):
    template = ReplyTemplateFactory.build(unit=spkt, body="Yth. {nama_pelapor}, laporan {kode}.")

    with pytest.raises(ValidationError) as error:
        template.full_clean()

    assert "{nama_pelapor}" in str(error.value)


def test_a_template_of_another_organisation_is_refused(spkt, dpmptsp, officer):
    template = ReplyTemplateFactory(unit=dpmptsp)
    report = report_in_progress(spkt, officer)

    with pytest.raises(ApplicationError):
        reply_template_render(template=template, case=report.case)
    with pytest.raises(ApplicationError):
        draft(report.case, officer, template=template)
    assert not Reply.objects.exists()


def test_attachments_are_stored_clean(spkt, officer):
    report = report_in_progress(spkt, officer)

    reply = draft(report.case, officer, files=[clean_jpeg("denah loket.jpg", gps=True)])

    attachment = reply.attachments.get()
    assert attachment.name == "denah loket.jpg" and attachment.content_type == "image/jpeg"
    assert b"PhoneMaker" not in attachment.file.read()


def test_too_many_files_change_nothing(spkt, officer):
    report = report_in_progress(spkt, officer)
    reply = draft(report.case, officer, files=[clean_jpeg() for _ in range(3)])

    with pytest.raises(ApplicationError) as error:
        draft(report.case, officer, reply=reply, body=ANSWER + "!", files=[clean_jpeg()] * 3)

    assert error.value.code == "files"
    reply.refresh_from_db()
    assert reply.body == ANSWER and reply.attachments.count() == 3


def test_a_closed_case_takes_no_new_reply(spkt, officer):
    report = report_in_progress(spkt, officer)
    reply_submit(reply=draft(report.case, officer), by=officer)

    case_resolve(case=report.case, by=officer)

    with pytest.raises(ApplicationError) as error:
        draft(report.case, officer)

    assert error.value.code == "closed"
    assert CaseEvent.objects.filter(case=report.case, kind=EventKind.RESOLVED).count() == 1
