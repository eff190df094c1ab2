"""Officer reply screens: scoping (404), forms, errors (400), approval, letters and the queue."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UserFactory
from tanggap.cases.choices import CaseStatus, EventKind
from tanggap.intake.tests.factories import clean_jpeg, jpeg_bytes, submit_report
from tanggap.responses.choices import ReplyStatus
from tanggap.responses.models import Reply
from tanggap.responses.services import reply_draft_save, reply_return, reply_submit
from tanggap.responses.tests.factories import (
    ReplySettingsFactory,
    ReplyTemplateFactory,
    report_in_progress,
)

pytestmark = pytest.mark.django_db
ANSWER = "Petugas loket SKCK sudah kami tambah dan jam buka kini tepat pukul 08.00."


def indonesian(msgid: str, **params) -> str:
    """Return *msgid* as an Indonesian visitor sees it (whether or not it is translated yet)."""
    with translation.override("id"):
        text = gettext(msgid)
    return text % params if params else text


def escaped(text: str) -> str:
    return text.replace("'", "&#x27;").replace('"', "&quot;")


def draft(case, by, **kwargs):
    fields = {"body": ANSWER, "is_final": True} | kwargs
    return reply_draft_save(case=case, by=by, **fields)


def post_reply(client, case, *, action="submit", **fields):
    data = {"reply-body": ANSWER, "reply-kind": "final", "action": action} | fields
    return client.post(reverse("responses:reply_new", args=[case.pk]), data)


def officer_urls(case, reply, attachment):
    """Every officer URL of the responses app that touches *case*."""
    args = [case.pk, reply.pk]
    return [
        ("get", reverse("responses:reply_new", args=[case.pk])),
        ("post", reverse("responses:reply_new", args=[case.pk])),
        ("post", reverse("responses:note_add", args=[case.pk])),
        ("get", reverse("responses:reply_detail", args=args)),
        ("get", reverse("responses:reply_edit", args=args)),
        ("post", reverse("responses:reply_submit", args=args)),
        ("post", reverse("responses:reply_approve", args=args)),
        ("post", reverse("responses:reply_return", args=args)),
        ("get", reverse("responses:reply_letter", args=args)),
        ("get", reverse("responses:reply_attachment", args=[*args, attachment.pk])),
    ]


def test_an_officer_of_another_unit_gets_404_on_every_reply_url(
    client, spkt, officer, other_officer
):
    # given a published reply with a file at the SPKT
    report = report_in_progress(spkt, officer)
    reply = reply_submit(reply=draft(report.case, officer, files=[clean_jpeg()]), by=officer)

    # when an officer of the DPMPTSP tries every URL
    client.force_login(other_officer)
    for method, url in officer_urls(report.case, reply, reply.attachments.get()):
        response = getattr(client, method)(url, {"reply-body": ANSWER, "note-text": "Catatan"})

        # then each answers 404 and nothing is written
        assert response.status_code == 404, url
    assert Reply.objects.count() == 1
    assert not report.case.events.filter(kind=EventKind.NOTE).exists()


def test_a_supervisor_of_another_unit_sees_an_empty_queue(client, spkt, dpmptsp, officer):
    ReplySettingsFactory(unit=spkt, requires_approval=True)
    report = report_in_progress(spkt, officer)
    reply_submit(reply=draft(report.case, officer), by=officer)
    head = UserFactory(username="kepala_dinas")
    MembershipFactory(user=head, unit=dpmptsp, role=Role.SUPERVISOR)
    client.force_login(head)

    response = client.get(reverse("responses:approval_queue"))

    assert response.status_code == 200
    assert report.case.reference not in response.content.decode()


def test_the_queue_is_404_without_a_supervising_role(client, officer):
    client.force_login(officer)

    assert client.get(reverse("responses:approval_queue")).status_code == 404


def test_the_case_page_shows_the_panel_and_a_reply_is_published_from_it(client, spkt, officer):
    # given an officer on a case being handled
    report = report_in_progress(spkt, officer)
    client.force_login(officer)
    page = client.get(reverse("officer:case_detail", args=[report.case.pk])).content.decode()
    assert 'id="replies"' in page and 'name="reply-body"' in page and 'id="notes"' in page

    # when they write and publish a final reply with a photo
    photo = io.BytesIO(jpeg_bytes())
    photo.name = "loket.jpg"
    response = post_reply(client, report.case, **{"reply-files": [photo]})

    # then they return to the case, which is replied with the file attached
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("officer:case_detail", args=[report.case.pk]) + "#replies"
    )
    reply = Reply.objects.get()
    assert reply.status == ReplyStatus.PUBLISHED and reply.attachments.count() == 1
    report.case.refresh_from_db()
    assert report.case.status == CaseStatus.RESPONDED


def test_saving_a_draft_publishes_nothing(client, spkt, officer):
    report = report_in_progress(spkt, officer)
    client.force_login(officer)

    post_reply(client, report.case, action="draft")

    assert Reply.objects.get().status == ReplyStatus.DRAFT
    report.case.refresh_from_db()
    assert report.case.status == CaseStatus.IN_PROGRESS


def test_a_short_reply_is_refused_with_a_translated_error(client, spkt, officer):
    report = report_in_progress(spkt, officer)
    client.force_login(officer)

    response = post_reply(client, report.case, **{"reply-body": "Oke."})

    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    assert not Reply.objects.exists()


def test_a_bad_attachment_is_refused_and_nothing_is_saved(client, spkt, officer):
    report = report_in_progress(spkt, officer)
    client.force_login(officer)
    fake = io.BytesIO(b"MZ\x90\x00 bukan foto")
    fake.name = "foto.jpg"

    response = post_reply(client, report.case, **{"reply-files": [fake]})

    assert response.status_code == 400
    expected = indonesian("“%(name)s” is not a photo (JPEG, PNG, WebP) or a PDF.", name="foto.jpg")
    assert escaped(expected) in response.content.decode()
    assert not Reply.objects.exists()


def test_an_interim_reply_on_a_received_case_is_refused_and_not_even_drafted(client, spkt, officer):
    # given a case not yet verified
    report = submit_report(spkt).report
    client.force_login(officer)

    # when an interim reply is written and submitted at once
    response = post_reply(client, report.case, **{"reply-kind": "interim"})

    # then the page explains it and no draft was left behind
    assert response.status_code == 400
    message = indonesian(
        "A case that is “%(status)s” cannot be given an interim reply; "
        "verify and dispose it first, or send a final reply.",
        status=indonesian("Received"),
    )
    assert escaped(message) in response.content.decode()
    assert not Reply.objects.exists()


def test_a_template_fills_the_form(client, spkt, officer):
    template = ReplyTemplateFactory(unit=spkt)
    report = report_in_progress(spkt, officer)
    client.force_login(officer)

    response = client.get(
        reverse("responses:reply_new", args=[report.case.pk]), {"template": template.pk}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Terima kasih atas laporan {report.case.reference}" in page
    assert f'name="reply-template" value="{template.pk}"' in page


def test_a_template_of_another_organisation_cannot_be_picked(client, spkt, dpmptsp, officer):
    template = ReplyTemplateFactory(unit=dpmptsp, body="Rahasia unit lain {kode}")
    report = report_in_progress(spkt, officer)
    client.force_login(officer)

    response = client.get(
        reverse("responses:reply_new", args=[report.case.pk]), {"template": template.pk}
    )

    assert response.status_code == 200 and "Rahasia unit lain" not in response.content.decode()


def test_self_approval_is_refused_with_a_translated_error(client, spkt, supervisor):
    ReplySettingsFactory(unit=spkt, requires_approval=True)
    report = report_in_progress(spkt, supervisor)
    reply = reply_submit(reply=draft(report.case, supervisor), by=supervisor)
    client.force_login(supervisor)

    response = client.post(reverse("responses:reply_approve", args=[report.case.pk, reply.pk]))

    assert response.status_code == 400
    expected = indonesian("You cannot approve your own reply; another supervisor must.")
    assert escaped(expected) in response.content.decode()
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.PENDING_APPROVAL


def test_a_supervisor_approves_from_the_reply_page(client, spkt, officer, supervisor):
    ReplySettingsFactory(unit=spkt, requires_approval=True)
    report = report_in_progress(spkt, officer)
    reply = reply_submit(reply=draft(report.case, officer), by=officer)
    client.force_login(supervisor)
    url = reverse("responses:reply_detail", args=[report.case.pk, reply.pk])
    assert reverse("responses:reply_approve", args=[report.case.pk, reply.pk]) in (
        client.get(url).content.decode()
    )

    response = client.post(reverse("responses:reply_approve", args=[report.case.pk, reply.pk]))

    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.PUBLISHED and reply.approved_by == supervisor


def test_returning_without_a_note_is_400_and_with_one_goes_back_to_the_author(
    client, spkt, officer, supervisor
):
    ReplySettingsFactory(unit=spkt, requires_approval=True)
    report = report_in_progress(spkt, officer)
    reply = reply_submit(reply=draft(report.case, officer), by=officer)
    client.force_login(supervisor)
    url = reverse("responses:reply_return", args=[report.case.pk, reply.pk])

    assert client.post(url, {f"return-{reply.pk}-note": "Ubah"}).status_code == 400
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.PENDING_APPROVAL

    response = client.post(url, {f"return-{reply.pk}-note": "Sebutkan jam layanan yang baru."})

    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.RETURNED


def test_the_author_edits_a_returned_reply(client, spkt, officer, supervisor):
    ReplySettingsFactory(unit=spkt, requires_approval=True)
    report = report_in_progress(spkt, officer)
    reply = reply_submit(reply=draft(report.case, officer), by=officer)
    reply_return(reply=reply, by=supervisor, note="Sebutkan jam layanan yang baru.")
    client.force_login(officer)
    url = reverse("responses:reply_edit", args=[report.case.pk, reply.pk])
    assert "Sebutkan jam layanan yang baru." in client.get(url).content.decode()

    response = client.post(
        url,
        {"reply-body": ANSWER + " Buka 08.00–15.00.", "reply-kind": "final", "action": "submit"},
    )

    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.PENDING_APPROVAL and reply.body.endswith("15.00.")


def test_another_officer_cannot_open_someones_draft_for_editing(client, spkt, officer):
    colleague = UserFactory(username="rekan")
    MembershipFactory(user=colleague, unit=spkt, role=Role.OFFICER)
    report = report_in_progress(spkt, officer)
    reply = draft(report.case, officer)
    client.force_login(colleague)

    response = client.get(reverse("responses:reply_edit", args=[report.case.pk, reply.pk]))

    assert response.status_code == 404


def test_an_auditor_reads_replies_but_gets_no_forms(client, spkt, officer, auditor):
    report = report_in_progress(spkt, officer)
    reply_submit(reply=draft(report.case, officer), by=officer)
    client.force_login(auditor)

    page = client.get(reverse("officer:case_detail", args=[report.case.pk])).content.decode()

    assert ANSWER in page and 'name="reply-body"' not in page and 'name="note-text"' not in page
    assert client.get(reverse("responses:reply_new", args=[report.case.pk])).status_code == 404


def test_a_note_is_internal_and_listed_apart(client, spkt, officer):
    report = report_in_progress(spkt, officer)
    client.force_login(officer)

    response = client.post(
        reverse("responses:note_add", args=[report.case.pk]),
        {"note-text": "Pelapor sudah ditelepon, menunggu jadwal."},
    )

    assert response.status_code == 302
    note = report.case.events.get(kind=EventKind.NOTE)
    assert not note.is_public
    assert client.post(reverse("responses:note_add", args=[report.case.pk])).status_code == 400


def test_the_letter_is_served_for_a_published_final_reply_only(client, spkt, officer):
    report = report_in_progress(spkt, officer)
    published = reply_submit(reply=draft(report.case, officer), by=officer)
    unpublished = draft(report.case, officer)
    client.force_login(officer)

    response = client.get(reverse("responses:reply_letter", args=[report.case.pk, published.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert published.letter_number in text
    letter_of_draft = reverse("responses:reply_letter", args=[report.case.pk, unpublished.pk])
    assert client.get(letter_of_draft).status_code == 404
