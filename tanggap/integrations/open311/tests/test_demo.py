"""The demo_open311 command: guarded from production, loads once, the demo key works."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tanggap.integrations.open311.demo import DEMO_KEY
from tanggap.integrations.open311.models import (
    ApiKey,
    Open311Request,
    ServiceAttribute,
    ServiceDefinition,
)

from .conftest import BASE

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("demo_open311", *args, stdout=out)
    return out.getvalue()


def counts():
    return tuple(
        model.objects.count()
        for model in (ServiceDefinition, ServiceAttribute, ApiKey, Open311Request)
    )


@pytest.fixture
def demo_units(settings):
    settings.DEBUG = True
    call_command("demo_data", stdout=io.StringIO())


def test_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        run()
    assert counts() == (0, 0, 0, 0)


def test_needs_the_demo_units(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="demo_data"):
        run()
    assert counts() == (0, 0, 0, 0)


def test_loads_services_key_and_requests_once(demo_units, client):
    # when the command runs twice
    output = run()
    first = counts()
    again = run()
    # then the second run changes nothing
    assert "Loaded 5 Open311 services and 3 requests" in output
    assert "nothing was changed" in again
    assert counts() == first
    # the demo key submits to the Polres services, not to the DPMPTSP's
    post = {"api_key": DEMO_KEY, "service_code": "polres-lantas-rambu", "lat": "-7.26",
            "long": "112.74", "description": "Marka pudar"}  # fmt: skip
    assert client.post(BASE + "requests.json", post).status_code == 200
    post["service_code"] = "dpmptsp-pbg"
    assert client.post(BASE + "requests.json", post).status_code == 403
    # the public feed shows the demo requests except the confidential one
    feed = client.get(BASE + "requests.json").json()
    assert {r["service_code"] for r in feed} == {"polres-lantas-rambu", "polres-spkt-pelayanan"}


def test_force_loads_when_debug_is_off(demo_units, settings):
    settings.DEBUG = False
    run("--force")
    assert ServiceDefinition.objects.count() == 5
