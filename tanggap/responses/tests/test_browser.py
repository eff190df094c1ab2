"""In a real browser: the citizen reads a reply, rates and contests it; an officer replies."""

import pytest
from playwright.sync_api import expect

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UserFactory
from tanggap.cases import workflow
from tanggap.cases.choices import CaseStatus, EventKind
from tanggap.cases.models import Case
from tanggap.intake.tests.factories import clean_jpeg, submit_report
from tanggap.responses.choices import ReplyStatus
from tanggap.responses.models import Reply, Verdict
from tanggap.responses.services import reply_draft_save, reply_submit
from tanggap.responses.tests.factories import ReplySettingsFactory, ReplyTemplateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
ANSWER = "Petugas loket SKCK sudah kami tambah. Mulai Senin loket buka tepat pukul 08.00."
OBJECTION = "Hari ini loket masih tutup sampai pukul 09.30, belum ada perubahan."


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


def handled(unit, officer):
    """Submit a report and take its case to "in progress"; return the submission."""
    submission = submit_report(unit)
    case = workflow.case_assign(case=submission.report.case, by=officer, officer=officer)
    workflow.case_start(case=case, by=officer)
    return submission


def test_the_citizen_reads_the_reply_rates_it_and_contests_it(
    page, live_server, spkt, officer, supervisor, axe_clean
):
    # given a final reply with a file, published to the reporter's case
    submission = handled(spkt, officer)
    reply = reply_draft_save(
        case=submission.report.case,
        by=officer,
        body=ANSWER,
        is_final=True,
        files=[clean_jpeg("jadwal.jpg")],
    )
    reply_submit(reply=reply, by=officer)
    code = submission.report.tracking_code

    # when the reporter opens the report on a small phone
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/lacak/tautan/{submission.link_token}/")

    # then the reply, its file and its letter are there, and the verdict form
    reply_card = page.get_by_test_id("reply")
    expect(reply_card).to_contain_text("Mulai Senin loket buka tepat pukul 08.00.")
    expect(reply_card.get_by_role("link", name="jadwal.jpg")).to_be_visible()
    expect(page.locator("#verdict-form")).to_be_visible()
    axe_clean(page, "tracking page with a reply")
    fits_the_phone(page)
    with page.expect_download() as download:
        page.locator(f"a[href$='/lacak/{code}/balasan/{reply.pk}/surat.pdf']").click()
    assert download.value.suggested_filename.endswith(".pdf")

    # when they contest without saying why, they are told what is missing
    page.locator("input[name='verdict-rating'][value='2']").check()
    submit(page, "#verdict-form button[value=contest]")
    expect(page.locator("#error-summary")).to_be_visible()
    axe_clean(page, "verdict with an error")
    fits_the_phone(page)
    assert not Verdict.objects.exists()

    # when they rate 2 and contest with a reason
    page.locator("input[name='verdict-rating'][value='2']").check()
    page.locator("#id_verdict-comment").fill(OBJECTION)
    submit(page, "#verdict-form button[value=contest]")

    # then they are back on the tracking page, the case is reopened and escalated
    expect(page.get_by_test_id("verdict-given")).to_be_visible()
    assert page.locator("#verdict-form").count() == 0
    axe_clean(page, "tracking page after the verdict")
    case = Case.objects.get(pk=submission.report.case_id)
    assert case.status == CaseStatus.REOPENED and case.escalation_level == 1
    assert case.events.filter(kind=EventKind.ESCALATED).exists()
    verdict = Verdict.objects.get()
    assert verdict.rating == 2 and not verdict.accepted and verdict.comment == OBJECTION


def test_an_officer_writes_from_a_template_and_a_supervisor_approves(
    page, live_server, spkt, axe_clean
):
    # given a unit whose replies need approval, a template, an officer and a supervisor
    ReplySettingsFactory(unit=spkt, requires_approval=True)
    ReplyTemplateFactory(unit=spkt, name="Ucapan terima kasih")
    officer = UserFactory(username="petugas.spkt", first_name="Rina")
    MembershipFactory(user=officer, unit=spkt, role=Role.OFFICER)
    head = UserFactory(username="kepala.spkt", first_name="Made")
    MembershipFactory(user=head, unit=spkt, role=Role.SUPERVISOR)
    case = handled(spkt, officer).report.case
    page.set_viewport_size(PHONE)

    # when the officer picks the template on the case page and submits the reply
    login(page, live_server, "petugas.spkt")
    page.goto(f"{live_server.url}/petugas/kasus/{case.pk}/")
    axe_clean(page, "case page with the reply panel")
    fits_the_phone(page)
    page.locator("#id_template").select_option(label="Ucapan terima kasih")
    submit(page, "#template-picker button[type=submit]")
    expect(page.locator("#id_reply-body")).to_contain_text(case.reference)
    axe_clean(page, "reply form from a template")
    fits_the_phone(page)
    submit(page, "#reply-form button[value=draft]")
    reply = Reply.objects.get()
    assert reply.status == ReplyStatus.DRAFT
    axe_clean(page, "case page with a draft")
    submit(page, f"form[action$='/balasan/{reply.pk}/ajukan/'] button")

    # then it waits for approval
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.PENDING_APPROVAL

    # when the supervisor opens the queue and approves
    page.context.clear_cookies()
    login(page, live_server, "kepala.spkt")
    page.goto(f"{live_server.url}/petugas/persetujuan/")
    axe_clean(page, "approval queue")
    fits_the_phone(page)
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_test_id("reply-body")).to_contain_text(case.reference)
    axe_clean(page, "reply page")
    submit(page, f"form[action$='/balasan/{reply.pk}/setujui/'] button")

    # then the reply is published and the case replied
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.PUBLISHED and reply.letter_number
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RESPONDED
    axe_clean(page, "case page after approval")


def login(page, live_server, username):
    page.goto(f"{live_server.url}/petugas/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("rahasia-123")
    submit(page, "form.stack button[type=submit]")
