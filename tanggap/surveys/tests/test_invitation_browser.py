"""In a real browser: a reporter follows the invitation link on a 360-pixel phone and answers."""

import pytest
from playwright.sync_api import expect

from tanggap.surveys.elements import ELEMENT_KEYS
from tanggap.surveys.models import SurveyInvitation, SurveyResponse
from tanggap.surveys.tests.factories import SurveyPeriodFactory
from tanggap.surveys.tests.invited import invited

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_policy_violations(page):
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    yield
    assert violations == []


def test_a_reporter_answers_the_invitation_on_a_small_phone(
    page, live_server, axe_clean, spkt, officer
):
    # given a resolved case whose reporter was invited to the unit's open survey
    SurveyPeriodFactory(unit=spkt)
    invitation, token = invited(spkt, officer)
    page.set_viewport_size({"width": 360, "height": 740})

    # when the reporter follows the link from the e-mail and answers
    page.goto(f"{live_server.url}/skm/undangan/{token}/")
    axe_clean(page, "invitation questionnaire")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    for key in ELEMENT_KEYS:
        page.locator(f"input[name={key}][value='4']").check()
    with page.expect_navigation():
        page.locator("#skm-form button[type=submit]").click()

    # then the thanks are shown, the answers stored as an invitation's, the link used up
    expect(page.locator("#skm-thanks")).to_be_visible()
    axe_clean(page, "thanks")
    assert SurveyResponse.objects.get().channel == "invitation"
    invitation.refresh_from_db()
    assert invitation.used_at is not None

    # and following the link again shows a clear refusal, itself accessible
    page.goto(f"{live_server.url}/skm/undangan/{token}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_clean(page, "used invitation")
    assert SurveyInvitation.objects.count() == 1 and SurveyResponse.objects.count() == 1
