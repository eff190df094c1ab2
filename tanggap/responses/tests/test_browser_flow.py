"""The whole handling of one complaint in a real browser (issue 3's browser flow).

An officer verifies, disposes and replies; the citizen reads the reply, rates it and
contests it; the supervisor sees the escalation; the reopened case then misses its new
deadline and the auditor sees the undue-delay flag. Every page passes axe-core.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tanggap.cases.choices import CaseStatus, FlagKind
from tanggap.cases.models import Case
from tanggap.cases.tasks import sweep_cases
from tanggap.intake.tests.factories import submit_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWER = "Loket SKCK kini dibuka pukul 08.00 dan petugas jaga ditambah satu orang."
OBJECTION = "Pagi ini loket masih tutup sampai pukul 09.30; belum ada perubahan."


@pytest.fixture(autouse=True)
def no_policy_violations(page):
    """Fail the test if any page broke the Content-Security-Policy."""
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    yield
    assert violations == []


def submit(page, locator):
    with page.expect_navigation():
        locator.click()


def log_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/petugas/masuk/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill("rahasia-123")
    submit(page, page.locator("form.stack button[type=submit]"))


def open_all_details(page):
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")


def test_a_complaint_from_receipt_to_the_auditors_flag(
    page, live_server, dpmptsp, axe_clean, django_user_model
):
    from tanggap.accounts.roles import Role
    from tanggap.accounts.tests.factories import MembershipFactory, UserFactory

    officer, supervisor, auditor = (
        UserFactory(username=name, email=f"{name}@example.com")
        for name in ("petugas-izin", "kepala-izin", "inspektur")
    )
    for user, role in (
        (officer, Role.OFFICER),
        (supervisor, Role.SUPERVISOR),
        (auditor, Role.AUDITOR),
    ):
        MembershipFactory(user=user, unit=dpmptsp, role=role)
    submission = submit_report(dpmptsp, title="PBG belum terbit tiga bulan")
    case = submission.report.case

    # The officer verifies and disposes the case from its page.
    log_in(page, live_server, officer)
    page.goto(f"{live_server.url}/petugas/kasus/{case.pk}/")
    open_all_details(page)
    axe_clean(page, "case page, received")
    verify = page.locator("details[data-action=verify]")
    verify.locator("select").select_option("normative")
    submit(page, verify.locator("button[type=submit]"))
    assign = page.locator("details[data-action=assign]")
    assign.locator("summary").click()
    assign.locator("select[name=assign-officer]").select_option(str(officer.pk))
    assign.locator("textarea").fill("Cek berkas PBG di bidang teknis.")
    submit(page, assign.locator("button[type=submit]"))
    case.refresh_from_db()
    assert (case.status, case.assignee) == (CaseStatus.ASSIGNED, officer)

    # ... and writes the final reply in the reply panel.
    form = page.locator("#reply-form")
    form.locator("textarea[name$=body]").fill(ANSWER)
    form.locator("input[type=radio][value=final]").check()
    submit(page, form.locator("button[value=submit]"))
    case.refresh_from_db()
    assert case.status == CaseStatus.RESPONDED
    axe_clean(page, "case page, replied")

    # The citizen opens the report with the code and PIN and reads the reply.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/lacak/")
    page.locator("#id_code").fill(submission.report.tracking_code)
    page.locator("#id_pin").fill(submission.pin)
    submit(page, page.locator("main form button.primary"))
    expect(page.get_by_test_id("reply")).to_contain_text("petugas jaga ditambah")
    # The disposition instruction is for staff only.
    expect(page.locator("main")).not_to_contain_text("bidang teknis")
    axe_clean(page, "tracking page with the reply")

    # ... rates the handling 2 and contests the reply.
    verdict = page.locator("#verdict-form")
    verdict.locator("input[type=radio][value='2']").check()
    verdict.locator("textarea").fill(OBJECTION)
    submit(page, verdict.locator("button[value=contest]"))
    expect(page.get_by_test_id("status")).to_contain_text(re.compile("Dibuka kembali|Reopened"))
    axe_clean(page, "tracking page after contesting")
    case.refresh_from_db()
    assert case.status == CaseStatus.REOPENED and case.escalation_level == 1

    # The supervisor sees the escalated case on the team screen.
    log_in(page, live_server, supervisor)
    page.goto(f"{live_server.url}/petugas/tim/")
    expect(page.get_by_test_id("escalated")).to_contain_text(case.reference)
    axe_clean(page, "team screen")

    # Nobody answers again in time: a week later the sweep escalates and flags undue delay.
    with time_machine.travel(timezone.now() + timedelta(days=10), tick=False):
        sweep_cases.call()
    assert Case.objects.get(pk=case.pk).flags.filter(kind=FlagKind.UNDUE_DELAY).exists()

    # The auditor sees the flag.
    log_in(page, live_server, auditor)
    page.goto(f"{live_server.url}/petugas/audit/")
    flags = page.get_by_test_id("flags")
    expect(flags).to_contain_text(case.reference)
    expect(flags).to_contain_text(re.compile("Penundaan berlarut|Undue delay"))
    axe_clean(page, "audit screen")
