"""In a real browser: a surveyor reads the period page and reviews its flagged responses."""

import pytest
from playwright.sync_api import expect

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UnitFactory, UserFactory
from tanggap.surveys.elements import ELEMENT_KEYS
from tanggap.surveys.services import ResponseInput, response_record
from tanggap.surveys.tests.factories import (
    SurveyPeriodFactory,
    SurveyQuestionFactory,
    SurveyResponseFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_policy_violations(page):
    """Fail a browser test if any page broke the Content-Security-Policy."""
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    yield
    assert violations == []


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/petugas/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("rahasia-123")
    with page.expect_navigation():
        page.locator("form.stack button[type=submit]").click()


def test_a_surveyor_reads_the_groups_and_keeps_a_flagged_response(page, live_server, axe_clean):
    # given a period with six women all 4, an own question, and one flagged response all 1
    unit = UnitFactory(name="DPMPTSP Kota Contoh")
    period = SurveyPeriodFactory(unit=unit, name="Semester II 2026")
    question = SurveyQuestionFactory(unit=unit)
    for _ in range(6):
        response_record(
            ResponseInput(
                period=period,
                channel="online",
                answers=dict.fromkeys(ELEMENT_KEYS, 4),
                extra_answers={str(question.pk): 3},
                gender="P",
            )
        )
    flagged = SurveyResponseFactory(
        period=period, flagged=True, answers=dict.fromkeys(ELEMENT_KEYS, 1)
    )
    surveyor = UserFactory(username="surveyor")
    MembershipFactory(user=surveyor, unit=unit, role=Role.SURVEYOR)
    log_in(page, live_server, "surveyor")

    # when the surveyor opens the period page
    page.goto(f"{live_server.url}/petugas/skm/{period.pk}/")

    # then the groups and the own question are shown, accessibly
    expect(page.locator("#groups-title")).to_be_visible()
    expect(page.locator("#own-title")).to_be_visible()
    expect(page.get_by_text("Bagaimana kebersihan ruang tunggu?").first).to_be_visible()
    axe_clean(page, "period page with groups and own questions")

    # when the surveyor reviews the flagged response and keeps it
    page.locator(f"a[href$='/petugas/skm/{period.pk}/tinjau/']").click()
    row = page.locator(f"#response-{flagged.pk}")
    expect(row).to_be_visible()
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    axe_clean(page, "review screen")
    with page.expect_navigation():
        row.locator("button[value=kept]").click()

    # then the decision is shown with who took it, and the IKM counts it: 25 x (6x4 + 1) / 7
    expect(row.locator("[data-testid=status]")).to_contain_text("Petugas")
    expect(row.locator("button[value=kept]")).to_have_count(0)
    expect(page.locator("[data-testid=ikm]")).to_contain_text("89,29")
    axe_clean(page, "review screen after a decision")
