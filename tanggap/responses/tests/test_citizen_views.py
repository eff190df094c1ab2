"""The citizen's side: replies on the tracking page, the verdict form, the letter and files."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from tanggap.cases import workflow
from tanggap.cases.choices import CaseStatus
from tanggap.intake.tests.factories import clean_jpeg, submit_report
from tanggap.responses.models import Verdict
from tanggap.responses.services import reply_draft_save, reply_submit
from tanggap.responses.tests.factories import report_in_progress

pytestmark = pytest.mark.django_db
ANSWER = "Petugas loket SKCK sudah kami tambah dan jam buka kini tepat pukul 08.00."
OBJECTION = "Loket masih tutup pukul 09.00, belum ada perubahan."


def indonesian(msgid: str) -> str:
    with translation.override("id"):
        return gettext(msgid)


def publish(report, officer, *, is_final=True, files=()):
    reply = reply_draft_save(
        case=report.case, by=officer, body=ANSWER, is_final=is_final, files=list(files)
    )
    reply = reply_submit(reply=reply, by=officer)
    report.case.refresh_from_db()
    return reply


def follow(client, submission):
    """Open the report through its secret link, as the reporter does."""
    client.get(reverse("intake:track_link", args=[submission.link_token]))


@pytest.fixture
def tracked(client, spkt, officer):
    """A replied report whose reporter follows it in this client."""
    submission = submit_report(spkt)
    report = submission.report
    workflow.case_start(
        case=workflow.case_assign(case=report.case, by=officer, officer=officer), by=officer
    )
    report.case.refresh_from_db()
    reply = publish(report, officer, files=[clean_jpeg("denah.jpg")])
    follow(client, submission)
    return report, reply


def test_the_tracking_page_shows_the_reply_its_file_letter_and_the_verdict_form(client, tracked):
    report, reply = tracked

    page = client.get(reverse("intake:track_detail", args=[report.tracking_code])).content.decode()

    assert ANSWER in page
    assert reverse("responses:citizen_letter", args=[report.tracking_code, reply.pk]) in page
    attachment = reply.attachments.get()
    assert (
        reverse(
            "responses:citizen_attachment", args=[report.tracking_code, reply.pk, attachment.pk]
        )
        in page
    )
    assert 'name="verdict-rating"' in page and 'value="contest"' in page


def test_accepting_from_the_tracking_page_resolves_and_goes_back(client, tracked):
    report, _reply = tracked

    response = client.post(
        reverse("responses:verdict", args=[report.tracking_code]),
        {"verdict-rating": "5", "verdict-comment": "", "verdict-decision": "accept"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("intake:track_detail", args=[report.tracking_code])
    report.case.refresh_from_db()
    assert report.case.status == CaseStatus.RESOLVED
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="verdict-given"' in page and 'name="verdict-rating"' not in page


def test_contesting_without_a_reason_is_400_with_a_translated_error(client, tracked):
    report, _reply = tracked

    response = client.post(
        reverse("responses:verdict", args=[report.tracking_code]),
        {"verdict-rating": "1", "verdict-comment": "", "verdict-decision": "contest"},
    )

    assert response.status_code == 400
    expected = indonesian("Tell us why you contest the reply (at least %(n)d characters).") % {
        "n": 10
    }
    assert expected in response.content.decode()
    assert not Verdict.objects.exists()


def test_without_a_rating_or_a_decision_the_form_is_400(client, tracked):
    report, _reply = tracked
    url = reverse("responses:verdict", args=[report.tracking_code])

    no_rating = client.post(url, {"verdict-comment": OBJECTION, "verdict-decision": "contest"})
    no_decision = client.post(url, {"verdict-rating": "3"})

    assert no_rating.status_code == no_decision.status_code == 400
    assert indonesian("Choose whether you accept or contest the reply.") in (
        no_decision.content.decode()
    )
    assert not Verdict.objects.exists()


def test_contesting_reopens(client, tracked):
    report, _reply = tracked

    client.post(
        reverse("responses:verdict", args=[report.tracking_code]),
        {"verdict-rating": "2", "verdict-comment": OBJECTION, "verdict-decision": "contest"},
    )

    report.case.refresh_from_db()
    assert report.case.status == CaseStatus.REOPENED and report.case.escalation_level == 1


def test_after_the_window_the_form_is_gone_and_a_post_is_refused(client, tracked):
    report, _reply = tracked

    with time_machine.travel(report.case.due_at + timedelta(seconds=1)):
        page = client.get(reverse("intake:track_detail", args=[report.tracking_code]))
        response = client.post(
            reverse("responses:verdict", args=[report.tracking_code]),
            {"verdict-rating": "5", "verdict-decision": "accept"},
        )

    assert 'name="verdict-rating"' not in page.content.decode()
    assert response.status_code == 400
    assert indonesian("The time to answer this reply has passed.") in response.content.decode()
    assert not Verdict.objects.exists()


def test_without_the_sessions_grant_nothing_is_shown_or_recorded(client, spkt, officer, tracked):
    report, reply = tracked
    client.cookies.clear()

    verdict = client.post(
        reverse("responses:verdict", args=[report.tracking_code]),
        {"verdict-rating": "5", "verdict-decision": "accept"},
    )
    letter = client.get(reverse("responses:citizen_letter", args=[report.tracking_code, reply.pk]))

    assert verdict.status_code == 302 and verdict["Location"] == reverse("intake:track")
    assert letter.status_code == 404
    assert not Verdict.objects.exists()


def test_the_reporter_downloads_the_letter_addressed_to_their_code(client, tracked):
    report, reply = tracked

    response = client.get(
        reverse("responses:citizen_letter", args=[report.tracking_code, reply.pk])
    )

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert report.tracking_code in text and reply.letter_number in text
    assert "Budi" not in text


def test_a_reply_of_another_case_or_unpublished_is_404(client, spkt, officer, tracked):
    report, _reply = tracked
    other = report_in_progress(spkt, officer, title="Laporan lain")
    elsewhere = publish(other, officer)
    unpublished = reply_draft_save(case=report.case, by=officer, body=ANSWER, is_final=True)

    for reply in (elsewhere, unpublished):
        url = reverse("responses:citizen_letter", args=[report.tracking_code, reply.pk])
        assert client.get(url).status_code == 404


def test_the_reporter_opens_the_replys_file(client, tracked):
    report, reply = tracked
    attachment = reply.attachments.get()

    response = client.get(
        reverse(
            "responses:citizen_attachment", args=[report.tracking_code, reply.pk, attachment.pk]
        )
    )

    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "default-src 'none'" in response["Content-Security-Policy"]
