"""In a real browser at phone width: an officer masks and publishes; citizens read and follow."""

import pytest
from playwright.sync_api import expect

from tanggap.portal import selectors

from .conftest import NIK, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_SCREEN = {"width": 360, "height": 740}


@pytest.fixture(autouse=True)
def no_policy_violations(page):
    """Fail a browser test if any page broke the Content-Security-Policy."""
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    yield
    assert violations == []


def submit(page, locator):
    with page.expect_navigation():
        locator.click()


def test_officer_masks_more_confirms_and_publishes(
    page, live_server, officer, pii_report, axe_clean
):
    # given an officer on the publishing page of a report full of identifiers
    page.set_viewport_size(PHONE_SCREEN)
    page.goto(
        f"{live_server.url}/petugas/masuk/?next=/petugas/publikasi/kasus/{pii_report.case.pk}/"
    )
    page.locator("#id_username").fill(officer.username)
    page.locator("#id_password").fill("rahasia-123")
    submit(page, page.locator("form.stack button[type=submit]"))
    # then the detected identifiers are highlighted and the draft is masked
    expect(page.locator("mark.pii-nik")).to_have_text(f"{NIK} [NIK]")
    expect(page.locator("#id_text")).not_to_contain_text(NIK)
    axe_clean(page, "publishing preview")
    # when the officer masks one more word
    page.locator("#id_extra").fill("trotoar")
    submit(page, page.locator("button[value=mask]"))
    expect(page.locator("#id_text")).to_contain_text("[DISAMARKAN]")
    # and types a phone number back in, and publishes
    page.locator("#id_reply").fill(f"Silakan hubungi {PHONE}")
    submit(page, page.locator("button[value=publish]"))
    # then a confirmation is asked and nothing is published
    expect(page.get_by_test_id("remaining")).to_contain_text(PHONE)
    assert not selectors.published().exists()
    axe_clean(page, "publishing confirmation")
    # when confirmed
    page.locator("#id_confirm").check()
    submit(page, page.locator("button[value=publish]"))
    # then it is published
    expect(page.get_by_test_id("publication-state")).to_be_visible()
    assert selectors.published().count() == 1


def test_citizen_reads_filters_maps_and_follows(page, live_server, published, settings, axe_clean):
    # given a published, located case and a tile server on this site
    settings.PORTAL_MAP_TILES = (
        f"{live_server.url}/static/vendor/leaflet-1.9.4/images/layers.png?z={{z}}&x={{x}}&y={{y}}"
    )
    page.set_viewport_size(PHONE_SCREEN)
    reference = published.case.reference
    # when a citizen opens the portal
    page.goto(f"{live_server.url}/transparansi/")
    expect(page.get_by_test_id("total")).to_have_text("1")
    axe_clean(page, "portal landing")
    page.goto(f"{live_server.url}/transparansi/kasus/?q=trotoar")
    expect(page.get_by_role("link", name=published.title)).to_be_visible()
    axe_clean(page, "portal list")
    # and the map
    page.goto(f"{live_server.url}/transparansi/peta/")
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    axe_clean(page, "portal map")
    # and the case, then follows it
    page.goto(f"{live_server.url}/transparansi/kasus/{reference}/")
    expect(page.get_by_test_id("text")).to_contain_text("[NIK]")
    axe_clean(page, "portal detail")
    page.locator("#id_email").fill("pengikut@example.net")
    submit(page, page.locator("form.stack button[type=submit]"))
    expect(page.locator(".messages")).to_be_visible()
    axe_clean(page, "portal detail after following")
    assert published.followers.count() == 1
