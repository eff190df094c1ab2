"""In a real browser: the unit head's dashboard and the public statistics, on a phone."""

import pytest
import time_machine
from playwright.sync_api import expect

from tanggap.analytics.services import rollup_refresh

from .conftest import at
from .test_rollups import LATER

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
def rolled(varied):
    rollup_refresh(now=LATER)
    with time_machine.travel(at(29, 12), tick=True):
        yield varied


def test_unit_head_reads_the_dashboard_on_a_phone(page, live_server, spkt, head, rolled, axe_clean):
    # given the unit head logged in on a phone
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/petugas/")
    page.locator("#id_username").fill("kepala_spkt")
    page.locator("#id_password").fill("rahasia-123")
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").click()
    # when they open the dashboard list and then SPKT's dashboard for November
    page.goto(f"{live_server.url}/petugas/dasbor/")
    page.get_by_role("link", name="SPKT Polres Contoh").click()
    page.locator("#id_period").select_option("2026-11")
    with page.expect_navigation():
        page.locator("form.period-form button[type=submit]").click()
    # then the figures, the overdue list and the peak-hour chart show, accessibly
    expect(page.locator("[data-figure=received]")).to_have_text("11")
    expect(page.get_by_test_id("overdue")).to_contain_text(rolled["overdue"].case.reference)
    expect(page.locator("#heat-title")).to_be_visible()
    axe_clean(page, "dashboard")
    # and a sub-unit's row drills down to its own dashboard
    page.get_by_role("link", name="Pos Polisi Contoh").click()
    expect(page.locator("h1")).to_contain_text("Pos Polisi Contoh")
    expect(page.locator("[data-figure=received]")).to_have_text("1")


def test_visitor_reads_public_statistics_on_a_phone(page, live_server, spkt, rolled, axe_clean):
    # given a visitor on a phone
    page.set_viewport_size(PHONE)
    # when they choose SPKT and November
    page.goto(f"{live_server.url}/transparansi/statistik/")
    page.get_by_role("link", name="SPKT Polres Contoh").click()
    page.locator("#id_period").select_option("2026-11")
    with page.expect_navigation():
        page.locator("form.period-form button[type=submit]").click()
    # then the counts and charts show, small cells hidden, and the page passes axe
    expect(page.locator("[data-figure=received]")).to_have_text("11")
    expect(page.locator("[data-key=suggestion]")).to_have_text("<5")
    expect(page.locator("svg.chart").first).to_be_visible()
    axe_clean(page, "public statistics")
    # and the open data link downloads the JSON
    with page.expect_download() as download:
        page.get_by_role("link", name="JSON").click()
    assert download.value.suggested_filename == f"statistik-{spkt.pk}-2026-11.json"
