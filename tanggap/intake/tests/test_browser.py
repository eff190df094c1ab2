"""In a real browser: a citizen reports with a photo and tracks it; an officer finds it."""

import pytest
from playwright.sync_api import expect

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UserFactory
from tanggap.intake.models import Report
from tanggap.intake.tests.factories import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture(autouse=True)
def no_policy_violations(page):
    """Fail a browser test if any page broke the Content-Security-Policy."""
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    yield
    assert violations == []


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "antrian.jpg"
    path.write_bytes(jpeg_bytes(gps=True))
    return path


def submit(page, selector):
    """Click a submit button and wait for the next page to load."""
    with page.expect_navigation():
        page.locator(selector).click()


def fill_report(page, unit, *, anonymous=False, name="Siti Aminah"):
    page.locator("#id_unit").select_option(str(unit.pk))
    page.locator("#id_title").fill("Antrian PBG sangat lama")
    page.locator("#id_description").fill(
        "Sdh 3 minggu berkas PBG blm ada kabar, di aplikasi status msh verifikasi terus."
    )
    if anonymous:
        page.locator("input[name=identity][value=anonymous]").check()
    page.locator("#id_name").fill(name)
    page.locator("#id_email").fill("siti@example.com")


def submit_and_read_receipt(page):
    submit(page, "#report-form button[type=submit]")
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    pin = page.get_by_test_id("pin").inner_text().strip()
    return code, pin


def test_citizen_reports_with_a_photo_then_tracks_it(page, live_server, dpmptsp, photo, axe_clean):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/lapor/")
    axe_clean(page, "report form")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    fill_report(page, dpmptsp)
    page.locator("#id_files").set_input_files(str(photo))
    code, pin = submit_and_read_receipt(page)

    assert code.startswith("TGP-") and len(pin) == 6
    axe_clean(page, "receipt")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with page.expect_download() as download:
        page.locator(f"a[href$='/lapor/tanda-terima/{code}/pdf/']").first.click()
    assert download.value.suggested_filename == f"tanda-terima-{code}.pdf"
    report = Report.objects.get(tracking_code=code)
    assert report.attachments.count() == 1

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/lacak/")
    axe_clean(page, "tracking form")
    page.locator("#id_code").fill(code.lower())
    page.locator("#id_pin").fill(pin)
    submit(page, "form.stack button[type=submit]")
    expect(page.get_by_test_id("status")).to_be_visible()
    assert code in page.content()
    axe_clean(page, "tracking page")


def test_wrong_pin_shows_a_clear_error_summary(page, live_server, dpmptsp, axe_clean):
    page.goto(f"{live_server.url}/lacak/")
    page.locator("#id_code").fill("TGP-0000-0000")
    page.locator("#id_pin").fill("123456")
    submit(page, "form.stack button[type=submit]")

    expect(page.locator("#error-summary")).to_be_visible()
    axe_clean(page, "tracking error")


def test_missing_fields_are_listed_in_an_error_summary_with_links(
    page, live_server, dpmptsp, axe_clean
):
    page.goto(f"{live_server.url}/lapor/")
    submit(page, "#report-form button[type=submit]")

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert summary.locator("a[href='#id_title']").count() == 1
    axe_clean(page, "form with errors")
    assert Report.objects.count() == 0


def test_the_form_can_be_sent_by_keyboard_alone(page, live_server, dpmptsp):
    page.goto(f"{live_server.url}/lapor/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    fill_report(page, dpmptsp)
    page.locator("#id_phone").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("tracking-code")).to_be_visible()


def test_a_double_click_on_send_makes_one_report(page, live_server, dpmptsp):
    page.goto(f"{live_server.url}/lapor/")
    fill_report(page, dpmptsp)
    page.locator("#report-form button[type=submit]").dblclick()

    expect(page.get_by_test_id("tracking-code")).to_be_visible()
    assert Report.objects.count() == 1


def test_officer_logs_in_and_finds_the_report(page, live_server, spkt, axe_clean):
    officer = UserFactory(username="petugas.spkt", first_name="Rina")
    MembershipFactory(user=officer, unit=spkt, role=Role.OFFICER)
    page.goto(f"{live_server.url}/lapor/")
    fill_report(page, spkt)
    code, _pin = submit_and_read_receipt(page)
    page.context.clear_cookies()

    page.goto(f"{live_server.url}/petugas/")
    axe_clean(page, "login")
    page.locator("#id_username").fill("petugas.spkt")
    page.locator("#id_password").fill("rahasia-123")
    submit(page, "form.stack button[type=submit]")
    page.locator(".filter-box summary").click()
    page.locator("#id_q").fill(code)
    submit(page, "form.filters button[type=submit]")
    axe_clean(page, "inbox")
    page.get_by_role("link", name=code).click()

    expect(page.locator("h1")).to_contain_text(code)
    axe_clean(page, "case page")
    assert "Siti Aminah" not in page.content(), "identity stays hidden until asked for"
    page.locator("details.identity summary, .identity details summary").first.click()
    page.locator("textarea[name=reason]").fill("Klarifikasi jadwal layanan dengan pelapor")
    submit(page, ".identity form button[type=submit]")
    expect(page.get_by_test_id("identity")).to_contain_text("Siti Aminah")


def test_an_anonymous_report_shows_no_identity_anywhere(page, live_server, spkt):
    officer = UserFactory(username="kepala.spkt")
    MembershipFactory(user=officer, unit=spkt, role=Role.SUPERVISOR)
    page.goto(f"{live_server.url}/lapor/")
    fill_report(page, spkt, anonymous=True, name="Nama Yang Tidak Disimpan")
    code, _pin = submit_and_read_receipt(page)
    receipt = page.content()
    page.context.clear_cookies()

    page.goto(f"{live_server.url}/petugas/masuk/")
    page.locator("#id_username").fill("kepala.spkt")
    page.locator("#id_password").fill("rahasia-123")
    submit(page, "form.stack button[type=submit]")
    inbox = page.content()
    page.get_by_role("link", name=code).click()
    case_page = page.content()

    for html in (receipt, inbox, case_page):
        assert "Nama Yang Tidak Disimpan" not in html
    expect(page.get_by_test_id("anonymous")).to_be_visible()
    assert page.locator(".identity form").count() == 0
