"""Tracking lookups: right code and PIN open the report; guessing is locked out."""

import pytest
from django.test import override_settings

from tanggap.common.exceptions import ApplicationError
from tanggap.intake.lookup import report_by_link, report_lookup
from tanggap.intake.tests.factories import submit_report

pytestmark = pytest.mark.django_db


def test_code_and_pin_open_the_report_whatever_the_typing(dpmptsp):
    submission = submit_report(dpmptsp)
    sloppy = submission.report.tracking_code.lower().replace("-", " ")

    report = report_lookup(code=sloppy, pin=f" {submission.pin} ", address="10.0.0.1")

    assert report.pk == submission.report.pk


def test_wrong_pin_gets_one_message_for_both_mistakes(dpmptsp):
    submission = submit_report(dpmptsp)
    wrong_pin = "000000" if submission.pin != "000000" else "111111"

    with pytest.raises(ApplicationError) as wrong:
        report_lookup(code=submission.report.tracking_code, pin=wrong_pin, address="10.0.0.1")
    with pytest.raises(ApplicationError) as unknown:
        report_lookup(code="TGP-0000-0000", pin=submission.pin, address="10.0.0.2")

    assert wrong.value.code in {"wrong"}
    assert unknown.value.code in {"wrong", "invalid_code"}


def test_malformed_code_is_refused_before_any_lookup(dpmptsp):
    with pytest.raises(ApplicationError) as err:
        report_lookup(code="hello", pin="123456", address="10.0.0.1")

    assert err.value.code == "invalid_code"


@override_settings(TRACKING_MAX_FAILURES_PER_CODE=3, TRACKING_MAX_FAILURES_PER_ADDRESS=100)
def test_a_code_is_locked_after_repeated_wrong_pins_even_from_many_addresses(dpmptsp):
    submission = submit_report(dpmptsp)
    code = submission.report.tracking_code
    wrong = "000000" if submission.pin != "000000" else "111111"

    for n in range(3):
        with pytest.raises(ApplicationError):
            report_lookup(code=code, pin=wrong, address=f"10.0.0.{n}")
    with pytest.raises(ApplicationError) as locked:
        report_lookup(code=code, pin=submission.pin, address="10.0.0.99")

    assert locked.value.code == "locked"


@override_settings(TRACKING_MAX_FAILURES_PER_CODE=100, TRACKING_MAX_FAILURES_PER_ADDRESS=3)
def test_an_address_is_locked_after_repeated_failures_on_any_codes(dpmptsp):
    submission = submit_report(dpmptsp)

    for _ in range(3):
        with pytest.raises(ApplicationError):
            report_lookup(code="TGP-0000-0000", pin="123456", address="10.9.9.9")
    with pytest.raises(ApplicationError) as locked:
        report_lookup(code=submission.report.tracking_code, pin=submission.pin, address="10.9.9.9")

    assert locked.value.code == "locked"
    assert (
        report_lookup(
            code=submission.report.tracking_code, pin=submission.pin, address="10.1.1.1"
        ).pk
        == submission.report.pk
    )


def test_secret_link_opens_the_report_and_a_forged_one_does_not(dpmptsp):
    submission = submit_report(dpmptsp)

    assert report_by_link(token=submission.link_token, address="1.1.1.1").pk == submission.report.pk
    with pytest.raises(ApplicationError):
        report_by_link(token=submission.link_token[:-1] + "x", address="1.1.1.1")
