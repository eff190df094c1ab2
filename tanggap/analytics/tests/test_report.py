"""Evaluation reports: the PDF's and workbook's numbers, the schedule, the button, the e-mail."""

import io
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from tanggap.analytics.models import EvaluationReport
from tanggap.analytics.periods import parse
from tanggap.analytics.services import (
    evaluation_report_generate,
    evaluation_reports_due,
    rollup_refresh,
)

from .conftest import at, travel
from .test_rollups import LATER

pytestmark = pytest.mark.django_db


@pytest.fixture
def rolled(varied):
    rollup_refresh(now=LATER)
    with travel(at(29, 12)):
        yield varied


def _pdf_text(report) -> str:
    with report.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_report_pdf_and_workbook_show_the_periods_numbers(
    spkt, head, rolled, django_capture_on_commit_callbacks
):
    # given November's rolled-up cases of SPKT
    # when the report is generated in English
    with django_capture_on_commit_callbacks(execute=True):
        report = evaluation_report_generate(unit=spkt, period=parse("2026-11"), language="en")
    # then the PDF says how many were received, closed and flagged, and lists the overdue case
    text = _pdf_text(report)
    assert "Evaluation report" in text
    assert "Reports received 11 +11" in text
    assert "Closed 2 +2" in text
    assert "Cases flagged for undue delay 1" in text
    assert rolled["overdue"].case.reference in text
    assert "Pos Polisi Contoh" in text
    # and the workbook holds the same figures
    with report.xlsx.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Reports received"] == 11
    assert summary["Closed"] == 2
    kinds = {
        row[1]: row[2]
        for row in book["Breakdowns"].iter_rows(min_row=2, values_only=True)
        if row[0] == "kinds"
    }
    with translation.override("en"):
        assert kinds[translation.gettext("Complaint (pengaduan)")] == 9
    overdue = [row[0] for row in book["Overdue"].iter_rows(min_row=2, values_only=True)]
    assert rolled["overdue"].case.reference in overdue
    # and the unit head got an e-mail with a link to the reports page
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kepala@example.org"]
    assert reverse("analytics:reports", args=[spkt.pk]) in mail.outbox[0].body


def test_generating_again_replaces_the_report(spkt, rolled):
    # given a report generated once
    first = evaluation_report_generate(unit=spkt, period=parse("2026-11"), notify=False)
    # when it is generated again
    again = evaluation_report_generate(unit=spkt, period=parse("2026-11"), notify=False)
    # then it is the same row, with fresh files
    assert again.pk == first.pk
    assert EvaluationReport.objects.filter(unit=spkt).count() == 1


def test_schedule_generates_just_ended_periods_once(spkt, dpmptsp, sub_unit, rolled):
    # given the first of December
    with travel(at(1, 6, month=12)):
        due = evaluation_reports_due(today=date(2026, 12, 1))
        # then November of each unit is due (the year 2025 ended too long ago)
        assert {(u.pk, p.key) for u, p in due} == {
            (u.pk, "2026-11") for u in (spkt, dpmptsp, sub_unit)
        }
        # when the command runs twice
        call_command("evaluation_reports", "--now", stdout=io.StringIO())
        call_command("evaluation_reports", "--now", stdout=io.StringIO())
    # then each report exists once
    assert EvaluationReport.objects.count() == 3
    assert evaluation_reports_due(today=date(2026, 12, 1)) == []


def test_button_prepares_a_report_and_download_is_scoped(
    client, spkt, head, other_officer, rolled, django_capture_on_commit_callbacks
):
    # given the unit head on the reports page
    client.force_login(head)
    url = reverse("analytics:reports", args=[spkt.pk])
    # when they ask for the third quarter
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"period": "2026-Q3"})
    # then the report is generated and listed, and its PDF downloads
    assert response.status_code == 302
    report = EvaluationReport.objects.get(unit=spkt, period_kind="quarter")
    assert report.requested_by == head
    assert reverse("analytics:report_pdf", args=[report.pk]) in client.get(url).content.decode()
    download = client.get(reverse("analytics:report_pdf", args=[report.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # and an officer of another unit gets 404 for the files
    client.force_login(other_officer)
    assert client.get(reverse("analytics:report_pdf", args=[report.pk])).status_code == 404
    assert client.get(reverse("analytics:report_xlsx", args=[report.pk])).status_code == 404


def test_button_refuses_a_bad_period_and_changes_nothing(client, spkt, head, rolled):
    # given the unit head
    client.force_login(head)
    # when they post a period not on offer
    response = client.post(reverse("analytics:reports", args=[spkt.pk]), {"period": "2030-01"})
    # then it is refused with the reason, and no report is made
    assert response.status_code == 400
    with translation.override("id"):
        assert translation.gettext("Choose a period from the list.") in response.content.decode()
    assert not EvaluationReport.objects.exists()


def test_report_lists_the_actions_taken_and_open_incidents(spkt, head, rolled):
    # given an improvement action and an open incident of SPKT in November
    from tanggap.improvements.services.actions import action_create
    from tanggap.improvements.services.incidents import incident_create

    with travel(at(15, 9)):
        action_create(
            unit=spkt,
            by=head,
            title="Tambah petugas loket SKCK pagi",
            description="Antrian pagi terlalu panjang; dua petugas tambahan jam 07-10.",
            owner=head,
        )
        incident_create(
            unit=spkt,
            by=head,
            title="Sistem antrian mati",
            description="Mesin antrian tidak bekerja sejak pagi.",
        )
    # when November's report is generated in English
    report = evaluation_report_generate(
        unit=spkt, period=parse("2026-11"), language="en", notify=False
    )
    # then the action is among the actions taken and the open incident among the risks
    text = _pdf_text(report)
    assert "Tambah petugas loket SKCK pagi" in text
    assert "Sistem antrian mati" in text
    with translation.override("en"):
        assert (
            translation.ngettext(
                "%(n)d incident is still open.", "%(n)d incidents are still open.", 1
            )
            % {"n": 1}
            in text
        )
