"""In a real browser on a phone: a supervisor builds an action from reports and publishes it."""

import pytest
from playwright.sync_api import expect

from tanggap.cases.choices import EventKind
from tanggap.cases.models import CaseEvent
from tanggap.improvements.models import ImprovementAction
from tanggap.improvements.services import incident_create
from tanggap.intake.tests.factories import submit_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture(autouse=True)
def no_policy_violations(page):
    """Fail a browser test if any page broke the Content-Security-Policy."""
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    yield
    assert violations == []


def submit(page, selector):
    """Click a submit button and wait for the next page to load."""
    with page.expect_navigation():
        page.locator(selector).click()


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_supervisor_turns_reports_into_a_published_action(
    page, live_server, spkt, officer, supervisor, axe_clean
):
    # given a confidential report about the SKCK counter
    report = submit_report(
        spkt,
        title="Loket SKCK tutup",
        description="Loket tutup sampai jam 10.",
        is_confidential=True,
    ).report
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/petugas/masuk/")
    page.locator("#id_username").fill(supervisor.username)
    page.locator("#id_password").fill("rahasia-123")
    submit(page, "form.stack button[type=submit]")

    # when the supervisor creates an action
    page.goto(f"{live_server.url}/petugas/perbaikan/")
    axe_clean(page, "action list")
    submit(page, "a.button[href$='/petugas/perbaikan/baru/']")
    axe_clean(page, "action form")
    page.locator("#id_unit").select_option(str(spkt.pk))
    page.locator("#id_title").fill("Loket SKCK buka tepat pukul 08.00")
    page.locator("#id_description").fill("Jadwal piket diubah agar loket SKCK buka tepat waktu.")
    page.locator("#id_owner").select_option(str(officer.pk))
    submit(page, "form.stack button[type=submit]")
    action = ImprovementAction.objects.get()
    expect(page.locator("h1")).to_have_text(action.title)

    # and links the report by its tracking code
    page.locator("details:has(form[action$='/kasus/']) > summary").click()
    page.locator("#id_reference").fill(report.tracking_code)
    submit(page, "form[action$='/kasus/'] button[type=submit]")
    expect(page.locator("#cases-title")).to_contain_text("1")

    # and reports progress to the reporters
    page.locator("details:has(form[action$='/kemajuan/']) > summary").click()
    page.locator("#id_status").select_option("in_progress")
    page.locator("#id_progress").fill("40")
    page.locator("#id_message").fill("Jadwal piket baru sudah disusun dan diuji.")
    submit(page, "form[action$='/kemajuan/'] button[type=submit]")
    expect(page.get_by_test_id("action-progress")).to_have_text("40%")
    assert CaseEvent.objects.filter(case=report.case, kind=EventKind.ACTION_UPDATE).count() == 1

    # and publishes it
    submit(page, "form[action$='/terbitkan/'] button[type=submit]")
    axe_clean(page, "action page")
    fits_the_phone(page)

    # then the public page shows it with one report and nothing of the confidential report
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/transparansi/perbaikan/{action.pk}/")
    expect(page.get_by_test_id("report-count")).to_contain_text("1")
    body = page.locator("main").inner_text()
    assert report.tracking_code not in body and "Loket tutup sampai" not in body
    axe_clean(page, "public action page")
    fits_the_phone(page)


def test_the_incident_page_is_accessible_on_a_phone(
    page, live_server, spkt, officer, supervisor, axe_clean
):
    # given an incident and an open report about it
    incident = incident_create(
        unit=spkt,
        by=officer,
        title="Sistem antrean mati",
        description="Mesin antrean SKCK mati sejak pagi; antrean dicatat manual.",
    )
    submit_report(spkt, description="Mesin antrean mati, kami tidak dapat nomor antrean.")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/petugas/masuk/")
    page.locator("#id_username").fill(supervisor.username)
    page.locator("#id_password").fill("rahasia-123")
    submit(page, "form.stack button[type=submit]")
    # when the supervisor searches and links the report
    page.goto(f"{live_server.url}/petugas/perbaikan/insiden/{incident.pk}/?q=mesin+antrean")
    axe_clean(page, "incident page with results")
    page.locator("input[name=cases]").first.check()
    submit(page, "form[action$='/kasus/'] button[type=submit]")
    # then the case is listed and the page fits the phone
    expect(page.get_by_test_id("incident-cases")).to_contain_text("TGP-")
    fits_the_phone(page)
    axe_clean(page, "incident page")
