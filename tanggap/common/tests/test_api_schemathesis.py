"""Schemathesis over the OpenAPI document: no generated request makes the API fail (5xx).

The Django WSGI application is driven in-process against the test database. Requests carry
an officer's token, and whole-number ids are pointed at real rows, so the generated data
reaches the handlers and services instead of stopping at 401 or 404. Wrong tokens and
unknown ids have their own tests.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tanggap.common.tests.api_helpers import issue_token
from tanggap.intake.tests.factories import clean_jpeg, submit_report
from tanggap.surveys.tests.factories import SurveyPeriodFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Keep the test's database connection open across the in-process requests.

    A WSGI request ends with close_old_connections, which on PostgreSQL would close the
    connection holding the test's transaction; Django's own test client disconnects it too.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, spkt, officer, settings):
    """An officer's token, cases and an open survey period, and limits no run reaches."""
    settings.API_REQUESTS_PER_MINUTE = 10**6
    settings.REPORTS_PER_ADDRESS_PER_HOUR = 10**6
    settings.TRACKING_MAX_FAILURES_PER_ADDRESS = 10**6
    settings.TRACKING_MAX_FAILURES_PER_CODE = 10**6
    cases = [submit_report(spkt).report.case for _ in range(3)]
    report = submit_report(spkt, files=[clean_jpeg()]).report
    SurveyPeriodFactory(unit=spkt)
    return {
        "token": issue_token(officer, spkt),
        "unit": spkt.pk,
        "service": spkt.services.first().pk,
        "category": spkt.organisation.categories.first().pk,
        "case": cases[0].pk,
        "report": report.pk,
        "report_case": report.case_id,
        "code": report.tracking_code,
        "attachment": report.attachments.get().pk,
    }


def _steer(case, world) -> None:
    """Point generated whole-number ids at existing rows; leave other values as generated."""
    params = case.path_parameters or {}
    # A report's and an attachment's paths name its own case, so they meet a real row.
    own_case = "report_case" if {"report_id", "attachment_id"} & params.keys() else "case"
    for name, target in (
        ("case_id", own_case),
        ("unit_id", "unit"),
        ("report_id", "report"),
        ("attachment_id", "attachment"),
    ):
        if isinstance(params.get(name), int):
            params[name] = world[target]
    if isinstance(params.get("code"), str):
        params["code"] = world["code"]
    if isinstance(case.body, dict):
        for name in ("unit", "service", "category"):
            if isinstance(case.body.get(name), int):
                case.body[name] = world[name]


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_generated_request_makes_a_server_error(case, world):
    # given any request the schema allows (and many it does not), aimed at real rows
    _steer(case, world)
    # when it is sent with the officer's token
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {world['token']}"}
    # then the API never answers with a server error
    case.call_and_validate(checks=[not_a_server_error])
