"""Reports describing danger to life or safety: urgent at intake, emergency numbers at once."""

import uuid

import pytest
from django.urls import reverse

from tanggap.cases.choices import EventKind, Priority
from tanggap.cases.models import CaseEvent
from tanggap.insights.urgency import REASONS
from tanggap.intake.services import report_add_information
from tanggap.intake.tests.factories import submit_report

pytestmark = pytest.mark.django_db

FALLEN_TREE = "Pohon besar tumbang menimpa rumah warga di gang 3, ada orang di dalam. Tolong!"
PLAIN = "Antrian SKCK lama sekali, loket blm buka padahal sdh jam 9."


def post_report(client, unit, description):
    return client.post(
        reverse("intake:report"),
        {
            "kind": "complaint",
            "unit": unit.pk,
            "title": "Laporan warga",
            "description": description,
            "identity": "anonymous",
            "submission_key": str(uuid.uuid4()),
        },
    )


def test_an_urgent_report_raises_its_case_at_intake(spkt, officer):
    # given a citizen reporting a fallen tree on a house / when the report is submitted
    submission = submit_report(spkt, title="Pohon tumbang", description=FALLEN_TREE)

    # then its case is urgent, with the reasons kept for the officers
    case = submission.report.case
    assert case.priority == Priority.URGENT
    event = CaseEvent.objects.get(case=case, kind=EventKind.URGENT)
    assert event.data["reasons"] == ["collapse"] and not event.is_public


def test_danger_added_later_by_the_reporter_raises_the_case(spkt, officer):
    report = submit_report(spkt, title="Antrian lama", description=PLAIN).report
    assert report.case.priority != Priority.URGENT

    report_add_information(report=report, message=FALLEN_TREE, files=[])

    report.case.refresh_from_db()
    assert report.case.priority == Priority.URGENT
    assert CaseEvent.objects.filter(case=report.case, kind=EventKind.URGENT).count() == 1


def test_plain_information_added_later_keeps_normal_priority(spkt):
    report = submit_report(spkt, title="Antrian lama", description=PLAIN).report

    report_add_information(report=report, message="Sudah saya tunggu sampai jam 11.", files=[])

    report.case.refresh_from_db()
    assert report.case.priority != Priority.URGENT


def test_a_plain_report_keeps_normal_priority(spkt):
    # given an everyday complaint / when submitted / then nothing is flagged
    case = submit_report(spkt, description=PLAIN).report.case
    case.refresh_from_db()
    assert case.priority == Priority.NORMAL
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.URGENT).exists()


def test_receipt_of_an_urgent_report_shows_the_emergency_numbers(client, spkt):
    # given an urgent report sent through the form
    response = post_report(client, spkt, FALLEN_TREE)

    # when the receipt is shown
    receipt = client.get(response["Location"])

    # then the emergency notice comes first, with numbers to call
    html = receipt.content.decode()
    assert receipt.context["urgent"] is True
    assert 'data-testid="emergency-notice"' in html
    assert 'href="tel:110"' in html and 'href="tel:112"' in html
    assert html.index("emergency-notice") < html.index('data-testid="tracking-code"')


def test_receipt_of_a_plain_report_has_no_emergency_notice(client, spkt):
    # given an everyday report / when its receipt is shown / then there is no notice
    response = post_report(client, spkt, PLAIN)
    receipt = client.get(response["Location"])

    assert receipt.context["urgent"] is False
    assert "emergency-notice" not in receipt.content.decode()


def row_of(html, code):
    start = html.rindex("<tr", 0, html.index(code))
    return html[start : html.index("</tr>", start)]


def test_inbox_badges_urgent_cases(client, spkt, officer):
    # given an urgent and a plain report in the officer's unit
    urgent = submit_report(spkt, title="Pohon tumbang", description=FALLEN_TREE).report
    plain = submit_report(spkt, title="Antrian lama", description=PLAIN).report

    # when the officer opens the inbox
    client.force_login(officer)
    html = client.get(reverse("officer:inbox")).content.decode()

    # then only the urgent case's row carries the badge, in words
    assert 'class="badge urgent"' in row_of(html, urgent.tracking_code)
    assert 'class="badge urgent"' not in row_of(html, plain.tracking_code)


def test_case_page_names_the_signs_of_urgency(client, spkt, officer):
    # given an urgent report / when its case page is opened
    report = submit_report(spkt, title="Pohon tumbang", description=FALLEN_TREE).report
    client.force_login(officer)
    response = client.get(reverse("officer:case_detail", args=[report.case_id]))

    # then the timeline's urgent event names what was found
    html = response.content.decode()
    assert str(EventKind.URGENT.label) in html
    assert str(REASONS["collapse"]) in html
