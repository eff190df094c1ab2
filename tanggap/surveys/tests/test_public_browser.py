"""In a real browser: the questionnaire on a 360-pixel phone and the public results page."""

import pytest
from playwright.sync_api import expect

from tanggap.accounts.tests.factories import CounterFactory, UnitFactory
from tanggap.surveys.elements import ELEMENT_KEYS
from tanggap.surveys.models import SurveyResponse
from tanggap.surveys.tests.factories import SurveyPeriodFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_policy_violations(page):
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    yield
    assert violations == []


def test_a_citizen_answers_on_a_small_phone(page, live_server, axe_clean):
    unit = UnitFactory(name="DPMPTSP Kota Contoh")
    SurveyPeriodFactory(unit=unit)
    counter = CounterFactory(unit=unit, code="loket-1")
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(f"{live_server.url}/skm/loket/{counter.code}/")
    axe_clean(page, "questionnaire")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for key in ELEMENT_KEYS:
        page.locator(f"input[name={key}][value='4']").check()
    page.locator("input[name=waktu][value='2']").check()
    with page.expect_navigation():
        page.locator("#skm-form button[type=submit]").click()

    expect(page.locator("#skm-thanks")).to_be_visible()
    axe_clean(page, "thanks")
    assert SurveyResponse.objects.get().answers["waktu"] == 2


def test_the_public_results_page_is_accessible(page, live_server, axe_clean):
    unit = UnitFactory(slug="spkt")
    period = SurveyPeriodFactory(unit=unit)
    SurveyResponse.objects.create(
        period=period, unit=unit, channel="online", answers=dict.fromkeys(ELEMENT_KEYS, 3)
    )

    page.goto(f"{live_server.url}/skm/hasil/spkt/")

    expect(page.get_by_test_id("ikm")).to_have_text("75,00")
    axe_clean(page, "public results")
