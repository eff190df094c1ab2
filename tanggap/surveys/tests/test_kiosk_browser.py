"""In a real browser: the counter kiosk by keyboard, through an outage, in large print."""

import pytest
from playwright.sync_api import expect

from tanggap.accounts.tests.factories import CounterFactory, ServiceFactory, UnitFactory
from tanggap.surveys.elements import QUESTIONNAIRE_ORDER
from tanggap.surveys.models import SurveyResponse
from tanggap.surveys.tests.factories import ALL_FOUR, SurveyPeriodFactory, SurveyQuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 800, "height": 1280}
FIRST = dict(zip(QUESTIONNAIRE_ORDER, [4, 3, 2, 1, 4, 3, 2, 1, 4], strict=True))
SECOND = dict.fromkeys(QUESTIONNAIRE_ORDER, 3)
CURRENT = "#skm-form .skm-step:not([hidden])"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": TABLET, "has_touch": True}


@pytest.fixture(autouse=True)
def no_policy_violations(page):
    """Fail a browser test if any page broke the Content-Security-Policy."""
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    yield
    assert violations == []


@pytest.fixture
def counter(db):
    unit = UnitFactory(name="SPKT Polres Contoh")
    ServiceFactory(unit=unit, name="SKCK")
    SurveyPeriodFactory(unit=unit)
    return CounterFactory(unit=unit, name="Loket Disabilitas", code="loket-disabilitas")


@pytest.fixture
def kiosk(page, live_server, counter):
    """Open the kiosk page and collect the POSTs it sends to the queue endpoint."""
    page.posts = []
    page.on("request", lambda r: r.method == "POST" and "/kirim/" in r.url and page.posts.append(r))
    page.goto(f"{live_server.url}/skm/kiosk/{counter.code}/")
    return page


def label(page, name):
    return page.locator("#kiosk").get_attribute(f"data-label-{name}")


def client_key(page):
    return page.locator("#skm-form input[name=client_key]").input_value()


def expect_first_step(page):
    expect(page.locator(CURRENT)).to_have_count(1)
    expect(page.locator("#skm-form .skm-step").first).to_be_visible()
    expect(page.locator("#skm-form input[type=radio]:checked")).to_have_count(0)


def tab_to(page, selector, limit=40):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def tap_through(page, answers):
    """Answer every question by touch, as a citizen at the counter would, and send."""
    page.locator(".kiosk-next").tap()
    for key, value in answers.items():
        page.locator(f"label[for=id_{key}_{value - 1}]").tap()
        expect(page.locator(f"#id_{key}_0")).to_be_hidden()  # moved on by itself
    page.locator("#skm-form button[type=submit]").tap()


def test_a_keyboard_user_answers_all_nine_questions(kiosk, axe_clean):
    page = kiosk
    axe_clean(page, "kiosk, first step")
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
    first_key = client_key(page)

    tab_to(page, "#id_service")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    for number, (key, value) in enumerate(FIRST.items(), start=1):
        legend = page.locator(f"{CURRENT} legend")
        expect(legend).to_be_focused()
        expect(page.locator(f"{CURRENT} .skm-count")).to_contain_text(f"{number}")
        page.keyboard.press("Tab")
        expect(page.locator(f"#id_{key}_0")).to_be_focused()
        page.keyboard.press("Space")
        for _ in range(value - 1):
            page.keyboard.press("ArrowDown")
        expect(page.locator(f"#id_{key}_{value - 1}")).to_be_checked()
        if number == 1:
            page.wait_for_timeout(600)  # arrow keys must not move on by themselves
            expect(page.locator(f"#id_{key}_0")).to_be_visible()
        page.keyboard.press("Enter")

    expect(page.locator(f"{CURRENT} legend")).to_be_focused()
    axe_clean(page, "kiosk, last step")
    tab_to(page, "#id_comment")
    page.keyboard.type("Petugas ramah dan sabar.")
    tab_to(page, "#skm-form button[type=submit]")
    with page.expect_response(lambda r: "/kirim/" in r.url) as sent:
        page.keyboard.press("Enter")

    assert sent.value.status == 201
    expect(page.locator("#skm-thanks")).to_be_visible()
    response = SurveyResponse.objects.get()
    assert response.channel == "kiosk"
    assert response.answers == FIRST
    assert response.service.name == "SKCK"
    assert response.comment == "Petugas ramah dan sabar."
    expect_first_step(page)
    expect(page.locator("#id_service")).to_be_focused()
    assert client_key(page) not in ("", first_key)
    assert str(response.client_key) == first_key


def test_answers_given_during_an_outage_are_sent_once_when_it_ends(kiosk, axe_clean):
    page = kiosk
    queue = page.locator("#kiosk-queue")
    page.context.set_offline(True)

    tap_through(page, FIRST)
    expect(queue).to_have_text(label(page, "queued").replace("%(n)s", "1"))
    expect_first_step(page)
    tap_through(page, SECOND)
    expect(queue).to_have_text(label(page, "queued").replace("%(n)s", "2"))
    assert SurveyResponse.objects.count() == 0
    axe_clean(page, "kiosk with a queue")

    page.posts.clear()
    page.context.set_offline(False)
    page.evaluate("for (const _ of [1, 2]) window.dispatchEvent(new Event('online'))")
    expect(queue).to_have_text(label(page, "sent"))
    assert sorted(r.answers["perilaku"] for r in SurveyResponse.objects.all()) == [2, 3]
    assert len(page.posts) == 2, "one request per queued answer, even with two online events"

    page.reload()
    page.wait_for_timeout(1000)
    expect(queue).to_have_text("")
    assert len(page.posts) == 2
    assert SurveyResponse.objects.filter(channel="kiosk").count() == 2


def test_the_same_answers_sent_twice_are_stored_once(kiosk):
    statuses = kiosk.evaluate(
        """async (answers) => {
            const form = document.getElementById("skm-form");
            const body = JSON.stringify({client_key: crypto.randomUUID(), answers});
            const send = () => fetch(form.dataset.submitUrl, {
                method: "POST", body, credentials: "same-origin",
                headers: {"Content-Type": "application/json",
                          "X-CSRFToken": form.elements.csrfmiddlewaretoken.value},
            }).then((r) => r.status);
            return [await send(), await send()];
        }""",
        ALL_FOUR,
    )
    assert statuses == [201, 200]
    assert SurveyResponse.objects.count() == 1


def test_large_print_enlarges_the_text_and_stays_accessible(kiosk, axe_clean):
    page = kiosk
    toggle = page.locator("#large-print")
    answer = page.locator("label[for=id_persyaratan_0]")
    size = "e => parseFloat(getComputedStyle(e).fontSize)"
    page.locator(".kiosk-next").click()
    normal = answer.evaluate(size)

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert answer.evaluate(size) >= 1.5 * normal
    axe_clean(page, "large print, a question")
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
    for key, value in FIRST.items():
        page.locator(f"label[for=id_{key}_{value - 1}]").tap()
        expect(page.locator(f"#id_{key}_0")).to_be_hidden()
    axe_clean(page, "large print, last step")

    # The thanks shows at once; the answers reach the server a moment later.
    with page.expect_response(lambda r: "/kirim/" in r.url) as sent:
        page.locator("#skm-form button[type=submit]").tap()
    assert sent.value.status == 201
    expect(page.locator("#skm-thanks")).to_be_visible()
    expect(toggle).to_have_attribute("aria-pressed", "false")  # the next person starts afresh
    page.locator(".kiosk-next").click()
    assert answer.evaluate(size) == normal
    expect(page.locator("#kiosk-queue")).to_have_text("")
    assert SurveyResponse.objects.count() == 1


def test_next_without_an_answer_asks_for_one(kiosk, axe_clean):
    page = kiosk
    page.locator(".kiosk-next").click()
    page.locator(".kiosk-next").click()

    error = page.locator("#kiosk-error")
    expect(error).to_have_text(label(page, "choose"))
    expect(page.locator(f"{CURRENT} fieldset")).to_have_attribute("aria-describedby", "kiosk-error")
    expect(page.locator("#id_persyaratan_0")).to_be_visible()
    axe_clean(page, "a question left unanswered")
    page.locator("label[for=id_persyaratan_2]").tap()
    expect(error).to_have_text("")


def test_an_abandoned_survey_resets_itself(kiosk):
    page = kiosk
    page.evaluate("document.getElementById('kiosk').dataset.resetSeconds = '1'")
    page.locator("#large-print").click()
    page.locator(".kiosk-next").click()
    page.locator("label[for=id_persyaratan_3]").tap()
    page.locator("label[for=id_prosedur_2]").tap()
    expect(page.locator("#id_waktu_0")).to_be_visible()

    expect_first_step(page)
    expect(page.locator("#large-print")).to_have_attribute("aria-pressed", "false")
    page.wait_for_timeout(500)
    assert page.posts == []
    assert SurveyResponse.objects.count() == 0


def test_without_javascript_the_kiosk_is_a_plain_form(new_context, live_server, counter):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/skm/kiosk/{counter.code}/")
    expect(page.locator("#large-print")).to_be_hidden()
    for key, value in FIRST.items():
        page.locator(f"label[for=id_{key}_{value - 1}]").click()
    with page.expect_navigation():
        page.locator("#skm-form button[type=submit]").click()

    expect(page.locator("#skm-thanks")).to_be_visible()
    assert SurveyResponse.objects.get().answers == FIRST


def test_the_kiosk_asks_the_units_own_questions_one_per_screen(
    page, live_server, counter, axe_clean
):
    # given the unit asks a 1-4 question and a short text question of its own
    scale = SurveyQuestionFactory(unit=counter.unit, position=1)
    text = SurveyQuestionFactory(
        unit=counter.unit, position=2, kind="text", text_id="Apa yang perlu diperbaiki?"
    )
    page.goto(f"{live_server.url}/skm/kiosk/{counter.code}/")

    # when a citizen answers the nine by touch and then the unit's questions by keyboard
    page.locator(".kiosk-next").tap()
    for key, value in FIRST.items():
        page.locator(f"label[for=id_{key}_{value - 1}]").tap()
        expect(page.locator(f"#id_{key}_0")).to_be_hidden()
    legend = page.locator(f"{CURRENT} legend")
    expect(legend).to_have_text("Bagaimana kebersihan ruang tunggu?")
    expect(legend).to_be_focused()
    expect(page.locator(f"{CURRENT} .skm-count")).to_contain_text("1")
    axe_clean(page, "kiosk, the unit's own scale question")
    page.keyboard.press("Tab")
    expect(page.locator(f"#id_q_{scale.pk}_0")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"#id_q_{scale.pk}_1")).to_be_checked()
    page.keyboard.press("Enter")
    box = page.locator(f"#id_q_{text.pk}")
    expect(box).to_be_visible()
    expect(page.locator(f"{CURRENT} label")).to_have_text("Apa yang perlu diperbaiki?")
    page.locator("#large-print").click()
    axe_clean(page, "kiosk, the unit's own text question in large print")
    box.focus()
    page.keyboard.type("Kursi ruang tunggu kurang")
    page.keyboard.press("Enter")
    expect(page.locator("#id_gender")).to_be_visible()
    with page.expect_response(lambda r: "/kirim/" in r.url) as sent:
        page.locator("#skm-form button[type=submit]").click()

    # then the answers reach the server by question id, apart from the nine
    assert sent.value.status == 201
    expect(page.locator("#skm-thanks")).to_be_visible()
    response = SurveyResponse.objects.get()
    assert response.answers == FIRST
    assert response.extra_answers == {str(scale.pk): 2, str(text.pk): "Kursi ruang tunggu kurang"}
