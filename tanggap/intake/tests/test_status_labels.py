"""An organisation's own status labels on the officer screens and the citizen's tracking page."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tanggap.cases.choices import CaseStatus
from tanggap.cases.models import StatusLabel
from tanggap.cases.templatetags.case_labels import status_labels_forget
from tanggap.intake.tests.factories import submit_report

pytestmark = pytest.mark.django_db

LABELS = Template("{% load case_labels %}{% for c in cases %}{{ c|status_label }};{% endfor %}")


@pytest.fixture(autouse=True)
def forget_labels():
    status_labels_forget()
    yield
    status_labels_forget()


def label(organisation, status=CaseStatus.RECEIVED, **names):
    # Labels are configuration entered in the admin; there is no service for them.
    return StatusLabel.objects.create(organisation=organisation, status=status, **names)


def test_the_label_follows_the_language_and_falls_back_to_the_standard_one(spkt):
    # given an Indonesian-only label for "received"
    label(spkt.organisation, label_id="Laporan masuk")
    received = submit_report(spkt).report.case

    # when the status is shown in Indonesian and in English
    with translation.override("id"):
        in_indonesian = LABELS.render(Context({"cases": [received]}))
    with translation.override("en"):
        in_english = LABELS.render(Context({"cases": [received]}))
        standard = str(CaseStatus.RECEIVED.label)

    # then Indonesian shows the organisation's word; English the standard label
    assert in_indonesian == "Laporan masuk;"
    assert in_english == f"{standard};"


def test_the_english_label_is_used_in_english(spkt):
    label(spkt.organisation, label_id="Laporan masuk", label_en="New report")
    received = submit_report(spkt).report.case

    with translation.override("en"):
        assert LABELS.render(Context({"cases": [received]})) == "New report;"


def test_a_page_of_cases_reads_the_labels_once(spkt, django_assert_num_queries):
    label(spkt.organisation, label_id="Laporan masuk")
    cases = [submit_report(spkt).report.case for _ in range(10)]

    with django_assert_num_queries(1):
        text = LABELS.render(Context({"cases": cases}))

    assert text == "Laporan masuk;" * 10


def test_a_new_request_sees_a_changed_label(client, spkt, officer):
    case = submit_report(spkt).report.case
    client.force_login(officer)
    page = reverse("officer:case_detail", args=[case.pk])
    client.get(page)

    label(spkt.organisation, label_id="Sedang dicek petugas")

    assert "Sedang dicek petugas" in client.get(page).content.decode()


def test_the_tracking_page_shows_the_organisations_label(client, spkt):
    label(spkt.organisation, label_id="Laporan masuk")
    submission = submit_report(spkt)

    response = client.post(
        reverse("intake:track"),
        {"code": submission.report.tracking_code, "pin": submission.pin},
        follow=True,
    )

    html = response.content.decode()
    assert 'data-testid="status">Laporan masuk</span>' in html


def test_another_organisations_label_is_not_used(spkt, dpmptsp):
    label(dpmptsp.organisation, label_id="Diterima loket")
    case = submit_report(spkt).report.case

    with translation.override("id"):
        text = LABELS.render(Context({"cases": [case]}))

    assert "Diterima loket" not in text
