"""In a real browser on a phone: upload a LAPOR! file, read the dry run, confirm the import."""

import pytest
from playwright.sync_api import expect

from tanggap.intake.models import Report
from tanggap.integrations.lapor.models import Import, ImportStatus

from .conftest import csv_bytes, lapor_row

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


def test_an_officer_uploads_a_lapor_export_reads_the_dry_run_and_confirms(
    page, live_server, officer, spkt, tmp_path, axe_clean
):
    # given a LAPOR! export with one good row and one with a formula in its title
    path = tmp_path / "lapor-maret.csv"
    path.write_bytes(
        csv_bytes([lapor_row("7001"), lapor_row("7002", judul='=HYPERLINK("http://x")')])
    )
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/petugas/masuk/")
    page.locator("#id_username").fill("petugas")
    page.locator("#id_password").fill("rahasia-123")
    submit(page, "form.stack button[type=submit]")

    # when the officer opens the import page and uploads the file
    page.goto(f"{live_server.url}/petugas/impor/")
    axe_clean(page, "import page")
    fits_the_phone(page)
    page.locator("input[name=fmt][value=lapor]").check()
    page.locator("#id_unit").select_option(str(spkt.pk))
    page.locator("#id_file").set_input_files(str(path))
    submit(page, "form.stack button[type=submit]")

    # then the columns are mapped for them, and the dry run shows the bad row
    expect(page.locator("#id_col_external_id")).to_have_value("tracking_id")
    axe_clean(page, "mapping form")
    fits_the_phone(page)
    submit(page, "form.stack button[type=submit]")
    expect(page.get_by_test_id("valid-count")).to_have_text("1")
    expect(page.get_by_test_id("invalid-count")).to_have_text("1")
    expect(page.locator("#errors-title")).to_be_visible()
    axe_clean(page, "dry run")
    fits_the_phone(page)
    assert not Report.objects.exists()

    # when they confirm
    submit(page, "form[action$='/konfirmasi/'] button")

    # then the good row is a report and the page says the import is done
    batch = Import.objects.get()
    assert batch.status == ImportStatus.DONE
    assert list(Report.objects.values_list("external_ref", flat=True)) == ["7001"]
    expect(page.get_by_test_id("imported-count")).to_have_text("1")
    axe_clean(page, "import result")
    fits_the_phone(page)
