"""In a real browser: an officer takes a suggested unit with one click, without JavaScript."""

import pytest
from playwright.sync_api import expect

from tanggap.cases import suggestions
from tanggap.cases.choices import CaseStatus, EventKind
from tanggap.cases.tests.factories import city, ready_models
from tanggap.intake.tests.factories import submit_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATER = "Air PDAM di rumah sy mati total sdh 3 hari, mohon segera ditindaklanjuti"


@pytest.fixture(autouse=True)
def empty_model_cache():
    suggestions._loaded.clear()
    yield
    suggestions._loaded.clear()


def submit(page, locator):
    with page.expect_navigation():
        locator.click()


def test_an_officer_disposes_to_a_suggested_unit(page, live_server, settings, axe_clean):
    # given ready models, a report about water, and the officer on its page
    settings.SUGGESTION_CONFIDENCE_FLOOR = 0.05
    town = city()
    ready_models(town)
    case = submit_report(
        town.root, title="Air mati", description=WATER, name="", email="", phone=""
    ).report.case
    page.goto(f"{live_server.url}/petugas/masuk/")
    page.locator("#id_username").fill(town.officer.username)
    page.locator("#id_password").fill("rahasia-123")
    submit(page, page.locator("form.stack button[type=submit]"))
    page.goto(f"{live_server.url}/petugas/kasus/{case.pk}/")
    block = page.get_by_test_id("suggestions")
    expect(block).to_contain_text("PDAM")
    axe_clean(page, "case page with suggestions")

    # when the officer clicks the first suggested unit
    submit(page, page.get_by_test_id("suggested-units").locator("a").first)

    # then the disposition form is open with that unit chosen, and nothing is saved yet
    pdam = town.units["PDAM"]
    unit = page.locator("select[name=assign-unit]")
    expect(unit).to_be_visible()
    expect(unit).to_have_value(str(pdam.pk))
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    axe_clean(page, "case page with a suggestion filled in")

    # when they submit the disposition
    submit(page, page.locator("details[data-action=assign] button[type=submit]"))

    # then the case went to the water utility, and the event says it was suggestion 1
    case.refresh_from_db()
    assert (case.status, case.unit) == (CaseStatus.ASSIGNED, pdam)
    assert case.events.get(kind=EventKind.ASSIGNED).data["suggested_rank"] == 1
