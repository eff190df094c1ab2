"""In a real browser: an officer handles a case, a supervisor and an auditor watch."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tanggap.cases import workflow
from tanggap.cases.choices import CaseStatus
from tanggap.cases.models import Case
from tanggap.intake.tests.factories import submit_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_policy_violations(page):
    """Fail a browser test if any page broke the Content-Security-Policy."""
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    yield
    assert violations == []


def submit(page, locator):
    """Click a submit button and wait for the next page to load."""
    with page.expect_navigation():
        locator.click()


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/petugas/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("rahasia-123")
    submit(page, page.locator("form.stack button[type=submit]"))


def open_all_details(page):
    """Open every collapsed panel, so axe checks the forms inside them too."""
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")


def test_an_officer_verifies_and_disposes_a_case_from_its_page(
    page, live_server, spkt, officer, axe_clean
):
    # given a received report and the officer on its page
    case = submit_report(spkt).report.case
    log_in(page, live_server, officer.username)
    page.goto(f"{live_server.url}/petugas/kasus/{case.pk}/")
    open_all_details(page)
    axe_clean(page, "case page")

    # when the officer verifies it as simple
    verify = page.locator("details[data-action=verify]")
    verify.locator("select").select_option("simple")
    submit(page, verify.locator("button[type=submit]"))

    # then it is verified, and the panel now offers the disposition
    case.refresh_from_db()
    assert (case.status, case.complexity) == (CaseStatus.VERIFIED, "simple")
    expect(page.locator(".message.success")).to_be_visible()
    axe_clean(page, "case page after verifying")

    # when the officer disposes it to the unit and to themself, with an instruction
    assign = page.locator("details[data-action=assign]")
    assign.locator("summary").click()
    assign.locator("select[name=assign-unit]").select_option(str(spkt.pk))
    assign.locator("select[name=assign-officer]").select_option(str(officer.pk))
    assign.locator("textarea").fill("Mohon dicek ke loket SKCK.")
    submit(page, assign.locator("button[type=submit]"))

    # then the case is disposed to the officer, and the timeline says so
    case.refresh_from_db()
    assert (case.status, case.assignee) == (CaseStatus.ASSIGNED, officer)
    expect(page.get_by_test_id("case-assignee")).to_contain_text(officer.first_name)
    expect(page.get_by_test_id("timeline")).to_contain_text("Mohon dicek ke loket SKCK.")
    open_all_details(page)
    axe_clean(page, "case page after disposing")


def test_a_stale_form_is_refused_in_the_browser_too(page, live_server, spkt, officer, axe_clean):
    # given the officer's open case page, then someone else changes the case
    case = submit_report(spkt).report.case
    log_in(page, live_server, officer.username)
    page.goto(f"{live_server.url}/petugas/kasus/{case.pk}/")
    workflow.case_edit(case=case, by=officer, changes={"priority": "high"})

    # when the officer verifies from the page shown before
    verify = page.locator("details[data-action=verify]")
    verify.locator("summary").click()
    with page.expect_navigation():
        verify.locator("button[type=submit]").click()

    # then the error summary says so and has the focus; nothing changed
    expect(page.locator("#error-summary")).to_be_focused()
    axe_clean(page, "case page with a conflict")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RECEIVED


def test_the_inbox_select_all_ticks_every_row(page, live_server, spkt, officer, axe_clean):
    for _ in range(3):
        submit_report(spkt)
    log_in(page, live_server, officer.username)

    page.locator("#pick-all").check()

    assert page.locator("tbody input[name=cases]:checked").count() == 3
    axe_clean(page, "inbox with boxes ticked")
    submit(page, page.locator("button[name=action][value=assign]"))
    expect(page.locator("h1")).to_be_visible()
    axe_clean(page, "bulk disposition")


def test_the_supervisor_sees_the_overdue_case_on_the_team_screen(
    page, live_server, spkt, supervisor, axe_clean
):
    # given a case ten days old (three days to verify at a 24-hour unit)
    with time_machine.travel(timezone.now() - timedelta(days=10), tick=False):
        late = submit_report(spkt, title="Laporan terlambat").report.case
    log_in(page, live_server, supervisor.username)

    # when the supervisor opens the team screen from the navigation
    submit(page, page.locator("nav a[href='/petugas/tim/']"))

    # then the overdue list has the case, marked in words
    overdue = page.get_by_test_id("overdue")
    expect(overdue).to_contain_text(late.reference)
    expect(overdue.locator("[data-due=overdue]")).to_have_count(1)
    axe_clean(page, "team screen")


def test_the_auditor_sees_a_flag_and_downloads_the_audit_log(
    page, live_server, spkt, supervisor, auditor, axe_clean
):
    # given a case archived without a reply (failure to serve)
    case = submit_report(spkt).report.case
    workflow.case_archive(case=case, by=supervisor)
    log_in(page, live_server, auditor.username)

    # when the auditor opens the audit screen
    submit(page, page.locator("nav a[href='/petugas/audit/']"))

    # then the flag is listed with a link to its case
    flags = page.get_by_test_id("flags")
    expect(flags.get_by_role("link", name=case.reference)).to_be_visible()
    axe_clean(page, "audit screen")

    # when the auditor downloads the log of the default period
    with page.expect_download() as download:
        page.locator("form[action$='log.csv'] button[type=submit]").click()

    # then it is a CSV with a header and the case's events
    path = download.value.path()
    with open(path, encoding="utf-8-sig") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert download.value.suggested_filename.endswith(".csv")
    assert len(rows) == 1 + case.events.count()
    assert {row[1] for row in rows[1:]} == {case.reference}
