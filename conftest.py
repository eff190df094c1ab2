"""Personas and shared fixtures: units of two organisations and one user per role."""

import os
import threading

import pytest

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import (
    CategoryFactory,
    MembershipFactory,
    ServiceFactory,
    UnitFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def default_language():
    """Give every test Indonesian, and take back a language a request activated.

    The locale middleware activates the visitor's language in the test's own thread; without
    this, a test that posts with the English cookie would leave English to the next test.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def spkt(db):
    """A 24-hour police service desk (SPKT) with a service and a category."""
    unit = UnitFactory(name="SPKT Polres Contoh", open_24h=True)
    ServiceFactory(unit=unit, name="SKCK")
    CategoryFactory(organisation=unit.organisation, name="Pelayanan petugas")
    return unit


@pytest.fixture
def dpmptsp(db):
    """A licensing office working Monday to Friday, in another organisation."""
    unit = UnitFactory(name="DPMPTSP Kota Contoh")
    ServiceFactory(unit=unit, name="PBG")
    CategoryFactory(organisation=unit.organisation, name="Perizinan")
    return unit


def _member(unit, role, username):
    user = UserFactory(username=username)
    MembershipFactory(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def officer(spkt):
    return _member(spkt, Role.OFFICER, "petugas")


@pytest.fixture
def supervisor(spkt):
    return _member(spkt, Role.SUPERVISOR, "kepala")


@pytest.fixture
def auditor(spkt):
    return _member(spkt, Role.AUDITOR, "auditor")


@pytest.fixture
def other_officer(dpmptsp):
    return _member(dpmptsp, Role.OFFICER, "petugas_lain")


# Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.
# The live server runs in a thread of this process; Django must let the sync ORM run there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = os.environ.get("TANGGAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_server(live_server):
    """Serve one request at a time when the live server shares the test's in-memory SQLite.

    Its threads then all use the test's one connection (connections_override), and two requests
    at once (a page and its service worker, say) fail with "bad parameter or other API misuse".
    With PostgreSQL every thread has its own connection and the server stays threaded.
    """
    if live_server.thread.connections_override:
        httpd = live_server.thread.httpd
        app, one_at_a_time = httpd.get_app(), threading.Lock()

        def serialised(environ, start_response):
            with one_at_a_time:
                return app(environ, start_response)

        httpd.set_app(serialised)
    return live_server


@pytest.fixture
def axe_clean():
    """Return a check that runs axe-core on a page and fails with its report on any violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, what: str):
        results = axe.run(page)
        assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"

    return check
