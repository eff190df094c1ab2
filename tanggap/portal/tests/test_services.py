"""Publishing, withdrawing and following, through the services."""

import pytest
from django.core import mail
from django.utils import translation

from tanggap.cases.choices import EventKind
from tanggap.cases.workflow import case_edit, case_resolve
from tanggap.common.exceptions import ApplicationError
from tanggap.intake.services import report_attach
from tanggap.intake.tests.factories import submit_report
from tanggap.portal import selectors
from tanggap.portal.models import Follower
from tanggap.portal.services import (
    EMAIL_LIMIT,
    PublicationInput,
    follower_confirm,
    follower_subscribe,
    follower_token,
    follower_unsubscribe,
    followers_notify,
    publication_publish,
    publication_withdraw,
)
from tanggap.portal.tasks import notify_followers

from .conftest import EMAIL, IDENTIFIERS, NIK, PHONE, publish_case

pytestmark = pytest.mark.django_db


def test_publish_stores_masked_texts_rounded_place_and_an_event(published, officer):
    # given a case published with the preview's masked texts (fixture)
    case = published.case
    # then no identifier is in any stored text
    stored = " ".join([published.title, published.text, published.reply])
    for value in IDENTIFIERS:
        assert value not in stored
    assert "[NIK]" in published.text and "[NAMA]" in published.reply
    # and the place is rounded to three decimals
    assert str(published.latitude) == "-7.257" and str(published.longitude) == "112.752"
    # and the case log says who published it
    event = case.events.get(kind=EventKind.PUBLISHED)
    assert event.actor == officer and event.is_public


def test_confidential_case_is_refused_even_when_confirmed(confidential, officer):
    # given a confidential report (the fixture's own attempt failed too)
    # when the officer publishes it and confirms
    with pytest.raises(ApplicationError) as error:
        publish_case(confidential.case, officer, confirmed=True)
    # then it is refused for its confidentiality, and nothing is public or logged
    assert error.value.code == "confidential"
    assert not selectors.published().exists()
    assert not confidential.case.events.filter(kind=EventKind.PUBLISHED).exists()


def test_remaining_identifier_asks_for_confirmation(pii_report, officer):
    # given texts the officer did not mask
    raw = PublicationInput(title="Parkir", text=f"hubungi {PHONE}", reply="")
    # when published without confirmation
    with pytest.raises(ApplicationError) as error:
        publication_publish(case=pii_report.case, by=officer, data=raw)
    # then it is refused, and nothing is public
    assert error.value.code == "identifiers_remain"
    assert not selectors.published().exists()
    # when confirmed
    publication_publish(
        case=pii_report.case,
        by=officer,
        data=PublicationInput(title="Parkir", text=f"hubungi {PHONE}", confirmed=True),
    )
    # then it is published, and the event keeps that the officer confirmed
    event = pii_report.case.events.get(kind=EventKind.PUBLISHED)
    assert event.data["confirmed_identifiers"] is True


def test_other_units_officer_cannot_publish(pii_report, other_officer):
    with pytest.raises(ApplicationError) as error:
        publish_case(pii_report.case, other_officer)
    assert error.value.code == "forbidden"


def test_auditor_cannot_publish(pii_report, auditor):
    with pytest.raises(ApplicationError) as error:
        publish_case(pii_report.case, auditor)
    assert error.value.code == "forbidden"


@pytest.mark.parametrize(
    "title, text, code",
    [("", "isi", "empty"), ("judul", "   ", "empty"), ("x" * 201, "isi", "too_long")],
)
def test_bad_texts_change_nothing(pii_report, officer, title, text, code):
    with pytest.raises(ApplicationError) as error:
        publication_publish(
            case=pii_report.case, by=officer, data=PublicationInput(title=title, text=text)
        )
    assert error.value.code == code
    assert not pii_report.case.events.filter(kind=EventKind.PUBLISHED).exists()


def test_case_made_confidential_after_publishing_disappears_at_once(published, officer):
    # given a published case
    assert selectors.publication_detail(reference=published.case.reference)
    # when an officer marks it confidential
    case_edit(case=published.case, by=officer, changes={"is_confidential": True})
    # then every public read loses it
    assert selectors.publication_detail(reference=published.case.reference) is None
    assert not selectors.publication_list().exists()
    assert not selectors.located().exists()


def test_confidential_report_joining_a_published_case_hides_it(published, spkt, officer):
    # given a confidential report attached to the published case
    secret = submit_report(spkt, is_confidential=True).report
    report_attach(report=secret, case=published.case, by=officer)
    # then the case is no longer public
    assert not selectors.published().exists()


def test_withdraw_needs_a_reason_and_records_an_internal_event(published, officer):
    with pytest.raises(ApplicationError):
        publication_withdraw(publication=published, by=officer, reason="short")
    publication_withdraw(publication=published, by=officer, reason="Pelapor minta dihapus")
    assert not selectors.published().exists()
    event = published.case.events.get(kind=EventKind.UNPUBLISHED)
    assert not event.is_public and event.message == "Pelapor minta dihapus"


def test_republishing_after_withdrawal(published, officer):
    publication_withdraw(publication=published, by=officer, reason="Sementara ditarik dulu")
    publish_case(published.case, officer)
    assert selectors.published().count() == 1
    assert published.case.events.filter(kind=EventKind.PUBLISHED).count() == 2


def _confirmed_follower(published):
    follower_subscribe(publication=published, email=EMAIL)
    follower = Follower.objects.get()
    follower_confirm(token=follower_token(follower, "confirm"))
    return follower


def test_follow_double_opt_in_stores_address_encrypted(
    published, django_capture_on_commit_callbacks
):
    # given a citizen asking to follow
    with django_capture_on_commit_callbacks(execute=True):
        follower_subscribe(publication=published, email=EMAIL)
    # then one confirmation mail is sent, and the address is not stored in clear
    assert len(mail.outbox) == 1 and "/transparansi/ikuti/konfirmasi/" in mail.outbox[0].body
    follower = Follower.objects.get()
    assert EMAIL not in follower.email_enc and follower.confirmed_at is None
    # when asking again, no second row
    follower_subscribe(publication=published, email=EMAIL.upper())
    assert Follower.objects.count() == 1


def test_bad_email_and_bad_tokens_are_refused(published):
    with pytest.raises(ApplicationError):
        follower_subscribe(publication=published, email="bukan-email")
    follower = _confirmed_follower(published)
    for token in ("rubbish", follower_token(follower, "unsubscribe") + "x"):
        with pytest.raises(ApplicationError):
            follower_confirm(token=token)
    # an unsubscribe token does not confirm, a confirm token does not unsubscribe
    with pytest.raises(ApplicationError):
        follower_unsubscribe(token=follower_token(follower, "confirm"))
    assert not Follower.objects.filter(confirmed_at__isnull=True).exists()


def test_followers_are_told_of_status_changes_once(
    published, officer, django_capture_on_commit_callbacks
):
    # given a confirmed follower of a published case
    _confirmed_follower(published)
    mail.outbox.clear()
    # when the case changes status and the notifier runs twice
    case_resolve(case=published.case, by=officer)
    with django_capture_on_commit_callbacks(execute=True):
        first = notify_followers.call()
        second = notify_followers.call()
    # then one e-mail was sent, with the public link and an unsubscribe link, no identifiers
    assert first["emails"] == 1 and second["emails"] == 0
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert f"/transparansi/kasus/{published.case.reference}/" in body
    assert "/transparansi/ikuti/berhenti/" in body
    assert NIK not in body and PHONE not in body


def test_unsubscribed_or_confidential_gets_nothing(published, officer):
    follower = _confirmed_follower(published)
    follower_unsubscribe(token=follower_token(follower, "unsubscribe"))
    follower.refresh_from_db()
    assert follower.email_enc == ""
    mail.outbox.clear()
    case_resolve(case=published.case, by=officer)
    assert followers_notify(publication_id=published.pk) == 0
    assert mail.outbox == []


def test_follow_mail_is_in_the_followers_language(published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        follower_subscribe(publication=published, email=EMAIL, language="en")
    with translation.override("en"):
        expected = translation.gettext(
            "If it was not you, ignore this message: nothing will be sent."
        )
    assert expected in mail.outbox[0].body


def test_follow_requests_are_throttled(published, django_capture_on_commit_callbacks):
    # given one e-mail address asked to follow as often as allowed
    with django_capture_on_commit_callbacks(execute=True):
        for _n in range(EMAIL_LIMIT):
            follower_subscribe(publication=published, email=EMAIL, client="10.0.0.1")
    # when it asks once more, from another client
    with pytest.raises(ApplicationError) as error:
        follower_subscribe(publication=published, email=EMAIL, client="10.0.0.2")
    # then it is refused, and no more mail went out
    assert error.value.code == "throttled"
    assert len(mail.outbox) == EMAIL_LIMIT
