"""The kiosk's service worker: a reload or a browser restart during an outage keeps the kiosk."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.signals import request_started
from django.urls import reverse
from playwright.sync_api import expect

from tanggap.accounts.tests.factories import CounterFactory, ServiceFactory, UnitFactory
from tanggap.surveys import views_kiosk_sw
from tanggap.surveys.models import SurveyResponse
from tanggap.surveys.tests.factories import SurveyPeriodFactory
from tanggap.surveys.tests.test_kiosk_browser import FIRST, SECOND, TABLET, label, tap_through

WORKER = Path(settings.BASE_DIR) / "tanggap" / "static" / "js" / "kiosk-sw.js"
TOKEN = "#skm-form [name=csrfmiddlewaretoken]"
CONTROLLED = "() => navigator.serviceWorker.controller !== null"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": TABLET, "has_touch": True}


@pytest.fixture
def policy_violations():
    """Collect Content-Security-Policy complaints of every page handed to the returned watch."""
    violations = []

    def watch(page):
        page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m))
        return page

    yield watch
    assert [m.text for m in violations] == []


@pytest.fixture
def counter(db):
    unit = UnitFactory(name="SPKT Polres Contoh")
    ServiceFactory(unit=unit, name="SKCK")
    SurveyPeriodFactory(unit=unit)
    return CounterFactory(unit=unit, name="Loket Disabilitas", code="loket-disabilitas")


@pytest.fixture
def kiosk_url(live_server, counter):
    # Service workers need a secure context: http is one only on localhost (or 127.0.0.1).
    assert urlsplit(live_server.url).hostname in ("localhost", "127.0.0.1")
    return f"{live_server.url}{reverse('surveys:kiosk', args=[counter.code])}"


@pytest.fixture
def server_hits():
    """Record the path of every request the live server starts to answer."""
    paths = []

    def record(sender, environ, **kwargs):
        paths.append(environ["PATH_INFO"])

    request_started.connect(record)
    yield paths
    request_started.disconnect(record)


def open_controlled(page, url):
    """Open the kiosk online and wait until its service worker controls the page."""
    page.goto(url)
    page.wait_for_function(CONTROLLED)


def queued(page, n):
    return label(page, "queued").replace("%(n)s", str(n))


def form_token(page):
    return page.locator(TOKEN).input_value()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reload_during_an_outage_keeps_the_kiosk_and_sends_once(
    page, kiosk_url, counter, server_hits, policy_violations, axe_clean
):
    # given a kiosk opened online and controlled by its service worker
    policy_violations(page)
    queue = page.locator("#kiosk-queue")
    open_controlled(page, kiosk_url)

    # when the network fails and the tablet reloads the page
    page.context.set_offline(True)
    server_hits.clear()
    reloaded = page.reload()

    # then the kiosk comes from the device, styled and scripted, without reaching the server
    assert reloaded.ok and reloaded.from_service_worker
    assert page.evaluate("fetch('/healthz').then(() => 'online', () => 'offline')") == "offline"
    assert server_hits == []
    expect(page.locator("#kiosk.kiosk-js")).to_be_visible()
    assert page.locator(".kiosk h1").evaluate("e => getComputedStyle(e).fontSize") == "32px"
    axe_clean(page, "kiosk reloaded offline")

    # when a citizen answers offline
    tap_through(page, FIRST)

    # then the answers are kept on the device
    expect(queue).to_have_text(queued(page, 1))
    expect(page.locator("#skm-thanks")).to_be_visible()
    axe_clean(page, "kiosk reloaded offline, an answer queued")
    assert SurveyResponse.objects.count() == 0

    # when the network returns
    with page.expect_response(lambda r: "/kirim/" in r.url) as sent:
        page.context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")

    # then the answers arrive, once
    expect(queue).to_have_text(label(page, "sent"))
    assert sent.value.status == 201
    page.wait_for_timeout(500)
    stored = SurveyResponse.objects.get()
    assert stored.answers == FIRST
    assert stored.channel == "kiosk"
    assert stored.counter == counter


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_cached_page_with_a_stale_csrf_token_still_sends_its_queue(
    page, kiosk_url, policy_violations
):
    # given a kiosk reloaded from the device during an outage, after its CSRF cookie was cleared
    policy_violations(page)
    open_controlled(page, kiosk_url)
    page.context.set_offline(True)
    page.reload()
    page.wait_for_function(CONTROLLED)
    stored_token = form_token(page)
    page.context.clear_cookies(name="csrftoken")
    tap_through(page, SECOND)
    expect(page.locator("#kiosk-queue")).to_have_text(queued(page, 1))

    # when the network returns
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")

    # then the form takes a token rendered today
    expect(page.locator(TOKEN)).not_to_have_value(stored_token)

    # and at the queue's next try (every 15 seconds; sooner here) the answer goes through, once
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#kiosk-queue")).to_have_text(label(page, "sent"))
    page.wait_for_timeout(500)
    assert SurveyResponse.objects.get().answers == SECOND


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_browser_started_during_an_outage_opens_the_kiosk_and_sends_once(
    browser_type,
    browser_type_launch_args,
    tmp_path,
    kiosk_url,
    server_hits,
    policy_violations,
    axe_clean,
):
    profile = tmp_path / "profile"
    options = {**browser_type_launch_args, "viewport": TABLET, "has_touch": True}

    # given a kiosk opened once online, and a browser that was then closed
    # (with nothing queued: a closing context lifts its offline emulation before its pages go)
    context = browser_type.launch_persistent_context(profile, **options)
    open_controlled(policy_violations(context.new_page()), kiosk_url)
    context.close()
    server_hits.clear()

    # when the browser starts again during an outage
    context = browser_type.launch_persistent_context(profile, offline=True, **options)
    try:
        page = policy_violations(context.new_page())
        opened = page.goto(kiosk_url)

        # then the kiosk opens from the device and keeps a citizen's answers there
        assert opened.ok and opened.from_service_worker
        assert server_hits == []
        axe_clean(page, "kiosk opened offline after a restart")
        tap_through(page, FIRST)
        expect(page.locator("#kiosk-queue")).to_have_text(queued(page, 1))
        assert SurveyResponse.objects.count() == 0

        # when the network returns, then the answers arrive once
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.locator("#kiosk-queue")).to_have_text(label(page, "sent"))
        page.wait_for_timeout(500)
        assert SurveyResponse.objects.get().answers == FIRST
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_new_worker_version_takes_over_and_deletes_the_old_caches(
    page, kiosk_url, monkeypatch, policy_violations
):
    # given a kiosk under version 1, beside a cache of an older version and one of another app
    policy_violations(page)
    open_controlled(page, kiosk_url)
    page.evaluate("() => Promise.all(['tanggap-kiosk-v0-pages', 'other'].map(caches.open, caches))")

    # when version 2 is deployed and the kiosk checks for an update
    source = WORKER.read_text()
    assert 'const VERSION = "v1";' in source
    source = source.replace('const VERSION = "v1";', 'const VERSION = "v2";')
    monkeypatch.setattr(views_kiosk_sw, "worker_source", source.encode)
    page.evaluate("() => navigator.serviceWorker.getRegistration().then((r) => r.update())")

    # then version 2 takes over at once with its own copies, and only its caches are left
    names = []
    for _ in range(50):
        names = sorted(page.evaluate("() => caches.keys()"))
        if "tanggap-kiosk-v1-pages" not in names:
            break
        page.wait_for_timeout(100)
    assert names == ["other", "tanggap-kiosk-v2-files", "tanggap-kiosk-v2-pages"]
    assert page.evaluate("() => caches.match(location.href).then((r) => r && r.status)") == 200


@pytest.mark.django_db
def test_the_service_worker_is_served_under_the_kiosk_pages_and_never_cached(client):
    # when the kiosk asks for its service worker
    response = client.get(reverse("surveys:kiosk_sw"))

    # then it gets the static file as JavaScript, fetched afresh at every update check
    assert reverse("surveys:kiosk_sw") == "/skm/kiosk/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response.content == WORKER.read_bytes()
    assert "Service-Worker-Allowed" not in response


@pytest.mark.django_db
def test_the_service_worker_accepts_no_post(client):
    assert client.post(reverse("surveys:kiosk_sw")).status_code == 405


@pytest.mark.django_db
def test_the_kiosk_page_names_its_worker_and_its_own_path_as_the_scope(client, counter):
    url = reverse("surveys:kiosk", args=[counter.code])

    page = client.get(url).content.decode()

    assert f'content="/skm/kiosk/sw.js" data-scope="{url}"' in page
