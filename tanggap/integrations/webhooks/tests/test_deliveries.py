"""Outbound webhooks: one signed delivery per subscription and event, retried, then given up."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from tanggap.cases.choices import EventKind
from tanggap.cases.workflow import case_assign
from tanggap.intake.tests.factories import submit_report
from tanggap.integrations.webhooks.choices import DeliveryStatus
from tanggap.integrations.webhooks.models import Delivery
from tanggap.integrations.webhooks.services.deliveries import MAX_ATTEMPTS, delivery_retry
from tanggap.integrations.webhooks.services.dispatch import RESCAN
from tanggap.integrations.webhooks.services.subscriptions import subscription_save
from tanggap.integrations.webhooks.tasks import deliver_webhook, dispatch_webhooks
from tanggap.notifications.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature_valid

from .factories import event_with_id

pytestmark = pytest.mark.django_db
SECRET = "receiver-secret-0123456789"  # noqa: S105 - test value


@pytest.fixture
def subscription(spkt, peer, settings):
    """The SPKT's dashboard subscribed to every event, on a local receiver."""
    settings.TANGGAP_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    return subscription_save(
        organisation=spkt.organisation, name="Dasbor Polda", url=f"{peer.url}/hook", secret=SECRET
    )


@pytest.fixture
def dispatch(django_capture_on_commit_callbacks):
    """Run the periodic dispatcher as cron would, its tasks running at once."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return dispatch_webhooks.call()

    return run


def test_a_case_event_is_posted_signed_with_public_fields_only(spkt, subscription, peer, dispatch):
    # given a report (its "received" event) after the subscription was made
    report = submit_report(spkt, title="Pungli oleh Brigpol X", phone="0812-0000-1234").report

    # when the dispatcher runs
    assert dispatch() == {"created": 1, "retried": 0}

    # then the receiver got one POST it can verify with the shared secret
    (request,) = peer.requests
    headers, body = request["headers"], request["body"]
    assert signature_valid(
        SECRET, headers[TIMESTAMP_HEADER.lower()], body, headers[SIGNATURE_HEADER.lower()]
    )
    assert headers["x-tanggap-event"] == "received"
    payload = json.loads(body)
    assert payload["case"]["reference"] == report.tracking_code
    assert payload["case"]["unit"]["name"] == spkt.name
    # and nothing a person wrote, nor the reporter's contact
    for private in ("Brigpol", "Budi", "0812", "budi@example.com", "Sdh antri"):
        assert private not in body.decode()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert [a.status_code for a in delivery.attempt_log.all()] == [200]


def test_failed_deliveries_are_retried_with_backoff_until_they_succeed(
    spkt, subscription, peer, dispatch
):
    peer.answers += [(500, {}, {}), (503, {}, {})]
    submit_report(spkt)
    start = timezone.now()

    # when the dispatcher runs every minute while the receiver fails twice
    with time_machine.travel(start, tick=False):
        dispatch()
        dispatch()  # the retry is not due yet: nothing is sent
    delivery = Delivery.objects.get()
    assert (delivery.attempts, len(peer.requests)) == (1, 1)
    assert delivery.next_attempt_at == start + timedelta(minutes=1)
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        dispatch()
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == start + timedelta(minutes=1 + 4)
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        dispatch()

    # then the third attempt delivered it, and every attempt is logged
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert [a.status_code for a in delivery.attempt_log.all()] == [500, 503, 200]
    assert len(peer.requests) == 3


def test_a_delivery_is_given_up_after_the_last_attempt_and_can_be_retried_by_hand(
    spkt, subscription, peer, dispatch, admin_user, django_capture_on_commit_callbacks
):
    peer.default = (500, {}, {})
    submit_report(spkt)
    now = timezone.now()

    # when the receiver fails every attempt, the dispatcher running through the backoff
    for _ in range(MAX_ATTEMPTS + 2):
        with time_machine.travel(now, tick=False):
            dispatch()
        now += timedelta(hours=5)

    # then it is given up after MAX_ATTEMPTS attempts, and no further one is made
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, MAX_ATTEMPTS)
    assert len(peer.requests) == MAX_ATTEMPTS and delivery.last_error == "HTTP 500"

    # and an administrator can start it again once the receiver is fixed
    peer.default = None
    with django_capture_on_commit_callbacks(execute=True):
        delivery_retry(delivery=delivery, by=admin_user)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


def test_dispatching_and_delivering_again_sends_nothing_twice(spkt, subscription, peer, dispatch):
    submit_report(spkt)

    dispatch()
    dispatch()
    deliver_webhook.call(Delivery.objects.get().pk)

    assert Delivery.objects.count() == 1 and len(peer.requests) == 1


def test_a_redirect_is_not_followed(spkt, subscription, peer, dispatch):
    peer.answers.append((302, {}, {"Location": "http://169.254.169.254/latest/"}))
    submit_report(spkt)

    dispatch()

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_error == "redirect refused"
    assert len(peer.requests) == 1


def test_the_address_is_checked_again_at_delivery(spkt, subscription, peer, dispatch, settings):
    # given the operator no longer allows the receiver's private network
    settings.TANGGAP_WEBHOOK_ALLOWED_NETWORKS = []
    submit_report(spkt)

    dispatch()

    # then no request left, and the attempt says why
    assert peer.requests == []
    assert Delivery.objects.get().last_error.startswith("refused")


def test_a_confidential_case_sends_only_its_reference_and_status(
    spkt, subscription, peer, dispatch
):
    report = submit_report(spkt, is_confidential=True).report

    dispatch()

    assert peer.json(0)["case"] == {"reference": report.tracking_code, "status": "received"}


def test_only_the_subscribed_organisation_unit_and_kinds_are_sent(
    spkt, dpmptsp, subscription, peer, dispatch, supervisor
):
    subscription_save(
        organisation=spkt.organisation,
        name="Disposisi saja",
        url=f"{peer.url}/assigned",
        secret=SECRET,
        event_kinds=[EventKind.ASSIGNED],
        subscription=subscription,
    )
    # given events of another organisation, a kind not asked for, and one asked for
    submit_report(dpmptsp)
    report = submit_report(spkt).report
    case_assign(case=report.case, by=supervisor)

    dispatch()

    assert [r["headers"]["x-tanggap-event"] for r in peer.requests] == ["assigned"]


def test_an_event_committed_late_with_a_smaller_id_is_still_sent(
    spkt, subscription, peer, dispatch
):
    report = submit_report(spkt).report
    first = report.case.events.get()
    # given an event whose id was taken later but committed first
    event_with_id(report.case, first.pk + 10)
    dispatch()
    assert len(peer.requests) == 2

    # when the earlier id commits afterwards, within the settling period
    event_with_id(report.case, first.pk + 5)
    dispatch()

    # then it is sent too, and nothing twice
    assert len(peer.requests) == 3 and Delivery.objects.count() == 3


def test_the_cursor_passes_settled_events(spkt, subscription, peer, dispatch):
    from tanggap.integrations.webhooks.models import DispatchCursor  # noqa: PLC0415

    report = submit_report(spkt).report
    dispatch()
    with time_machine.travel(timezone.now() + RESCAN + timedelta(seconds=1)):
        dispatch()
    with time_machine.travel(timezone.now() + 2 * RESCAN + timedelta(seconds=2)):
        dispatch()

    assert DispatchCursor.objects.get().last_event_id == report.case.events.get().pk
    assert len(peer.requests) == 1


def test_the_command_enqueues_the_dispatcher(spkt, subscription, peer, capsys):
    submit_report(spkt)

    call_command("webhooks_dispatch", "--now")

    assert "Created 1 deliveries" in capsys.readouterr().out
