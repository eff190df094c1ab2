"""The case page's "Similar reports": duplicates across channels, attached in one click."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tanggap.cases.choices import CaseStatus, Channel
from tanggap.intake.models import Report
from tanggap.intake.tests.factories import submit_report

pytestmark = pytest.mark.django_db

TITLE = "Antrian SKCK sangat lama"
WEB_TEXT = (
    "Sudah antri dari jam 8 pagi tapi loket SKCK belum buka, petugas tidak ada di tempat "
    "dan antrian sampai keluar gedung."
)
# The same matter phoned in and typed by the officer on duty.
PHONE_TEXT = (
    "sdh antri dr jam 8 pagi tp loket skck blm buka petugas tdk ada di tempat dan antrian "
    "sampe keluar gedung"
)


def phone_report(unit, officer, **overrides):
    fields = {"title": TITLE, "description": PHONE_TEXT, "channel": Channel.PHONE}
    return submit_report(unit, received_by=officer, **(fields | overrides)).report


def case_page(client, case):
    return client.get(reverse("officer:case_detail", args=[case.pk]))


def test_a_phone_report_shows_the_web_report_of_the_same_matter(client, spkt, officer):
    # given a web report, an unrelated one, and the same matter phoned in later
    web = submit_report(spkt, title=TITLE, description=WEB_TEXT).report
    submit_report(spkt, title="Parkir liar", description="Banyak mobil parkir di trotoar.")
    phoned = phone_report(spkt, officer)
    client.force_login(officer)

    # when the officer opens the phone report's case
    response = case_page(client, phoned.case)

    # then the web case is listed with its similarity, status and a one-click attach form
    similar = response.context["similar"]
    assert [m.case for m in similar] == [web.case]
    html = response.content.decode()
    assert 'data-testid="similar"' in html
    assert f'data-similar="{web.case.reference}"' in html
    assert f"{similar[0].percent}%" in html
    assert f'value="{web.case.reference}"' in html
    assert reverse("officer:case_attach", args=[phoned.case.pk]) in html


def test_the_attach_button_joins_the_report_to_the_similar_case(client, spkt, officer):
    # given the web and phone reports of one matter
    web = submit_report(spkt, title=TITLE, description=WEB_TEXT).report
    phoned = phone_report(spkt, officer)
    client.force_login(officer)

    # when the officer presses "attach" in the block (the form posts the other case's reference)
    response = client.post(
        reverse("officer:case_attach", args=[phoned.case.pk]),
        {"case-attach-target": web.case.reference},
    )

    # then the phone report belongs to the web case and its own case is archived as merged
    assert response.status_code == 302
    assert Report.objects.get(pk=phoned.pk).case_id == web.case_id
    phoned.case.refresh_from_db()
    assert phoned.case.status == CaseStatus.ARCHIVED
    # and the emptied case is not offered as similar on the web case's page
    assert case_page(client, web.case).context["similar"] == []


def test_a_closed_similar_case_is_listed_without_an_attach_button(
    client, spkt, officer, supervisor
):
    from tanggap.cases import workflow

    web = submit_report(spkt, title=TITLE, description=WEB_TEXT).report
    workflow.case_reject(
        case=web.case, by=supervisor, reason="spam", note="Laporan ganda dari uji coba."
    )
    phoned = phone_report(spkt, officer)
    client.force_login(officer)

    html = case_page(client, phoned.case).content.decode()

    assert f'data-similar="{web.case.reference}"' in html
    assert f'value="{web.case.reference}"' not in html


def test_an_auditor_sees_similar_reports_but_cannot_attach(client, spkt, officer, auditor):
    web = submit_report(spkt, title=TITLE, description=WEB_TEXT).report
    phoned = phone_report(spkt, officer)
    client.force_login(auditor)

    html = case_page(client, phoned.case).content.decode()

    assert f'data-similar="{web.case.reference}"' in html
    assert f'value="{web.case.reference}"' not in html


def test_another_organisation_s_report_is_never_shown(client, spkt, dpmptsp, officer):
    # given the same text sent to another organisation
    submit_report(dpmptsp, title=TITLE, description=WEB_TEXT)
    phoned = phone_report(spkt, officer)
    client.force_login(officer)

    response = case_page(client, phoned.case)

    assert response.context["similar"] == []
    assert 'data-testid="similar"' not in response.content.decode()


def test_the_case_page_reads_similar_reports_in_the_same_queries_for_one_or_five(
    client, spkt, officer
):
    # given a phone report like one web report, then like five
    submit_report(spkt, title=TITLE, description=WEB_TEXT)
    phoned = phone_report(spkt, officer)
    client.force_login(officer)
    case_page(client, phoned.case)
    with CaptureQueriesContext(connection) as one:
        assert len(case_page(client, phoned.case).context["similar"]) == 1
    for _ in range(5):
        submit_report(spkt, title=TITLE, description=WEB_TEXT)

    # when the page is shown again / then it costs the same number of queries
    with CaptureQueriesContext(connection) as five:
        assert len(case_page(client, phoned.case).context["similar"]) == 5
    assert len(five.captured_queries) == len(one.captured_queries)
