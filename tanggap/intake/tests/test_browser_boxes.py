"""In a real browser: an officer opens a suggestion box before witnesses and enters a slip."""

import pytest
from playwright.sync_api import expect

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UserFactory
from tanggap.intake.models import BoxSlip, SuggestionBox
from tanggap.intake.tests.factories import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_policy_violations(page):
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    yield
    assert violations == []


def submit(page, selector):
    with page.expect_navigation():
        page.locator(selector).click()


def test_an_opening_is_witnessed_and_its_slip_posted_publicly(
    page, live_server, spkt, officer, axe_clean, tmp_path
):
    SuggestionBox.objects.create(unit=spkt, name="Kotak saran lobi", code="lobi")
    for username, first in (("saksi1", "Ani"), ("saksi2", "Budi")):
        MembershipFactory(
            user=UserFactory(username=username, first_name=first), unit=spkt, role=Role.OFFICER
        )
    photo = tmp_path / "slip.jpg"
    photo.write_bytes(jpeg_bytes())

    page.goto(f"{live_server.url}/petugas/masuk/")
    page.locator("#id_username").fill("petugas")
    page.locator("#id_password").fill("rahasia-123")
    submit(page, "main button.primary")
    page.goto(f"{live_server.url}/petugas/kotak-saran/")
    axe_clean(page, "box list")
    with page.expect_navigation():
        page.locator("a[href$='/buka/']").click()
    page.get_by_label("Ani").check()
    page.get_by_label("Budi").check()
    page.locator("#id_slips_found").fill("1")
    axe_clean(page, "opening form")
    submit(page, "main form button.primary")

    page.locator("#id_photo").set_input_files(str(photo))
    page.locator("#id_receipt_number").fill("KS-0007")
    page.locator("#id_kind").select_option("suggestion")
    page.locator("#id_title").fill("Kursi tunggu kurang")
    page.locator("#id_description").fill("Mohon tambah kursi di ruang tunggu SPKT.")
    submit(page, "form[enctype] button.primary")
    expect(page.locator("table.data")).to_contain_text("KS-0007")
    axe_clean(page, "opening with a slip")
    assert BoxSlip.objects.get().report.attachments.count() == 1

    page.goto(f"{live_server.url}/kotak-saran/lobi/")
    page.locator("#id_number").fill("ks-0007")
    submit(page, "form[role=search] button")
    expect(page.get_by_role("status")).to_contain_text("KS-0007")
    expect(page.locator("main")).not_to_contain_text("Kursi tunggu kurang")
    axe_clean(page, "public box page")
