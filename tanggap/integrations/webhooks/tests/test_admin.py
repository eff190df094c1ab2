"""Subscriptions in the admin: the URL guard as a form error, the secret written, never shown."""

import pytest
from django.contrib.auth.models import Permission

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UserFactory
from tanggap.common.crypto import decrypt_text
from tanggap.intake.tests.factories import submit_report
from tanggap.integrations.webhooks.models import Delivery, Subscription
from tanggap.integrations.webhooks.services.subscriptions import subscription_save
from tanggap.integrations.webhooks.tasks import dispatch_webhooks

pytestmark = pytest.mark.django_db
ADD = "/admin/webhooks/subscription/add/"


def form(spkt, **overrides):
    data = {
        "organisation": spkt.organisation.pk,
        "unit": "",
        "name": "Dasbor Polda",
        "url": "http://10.20.30.40/hook",
        "secret": "receiver-secret-0123456789",
        "event_kinds": ["received", "resolved"],
        "is_active": "on",
    }
    return data | overrides


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest/meta-data/", "http://2130706433/", "ftp://x.org/"]
)
def test_an_internal_url_is_a_form_error_and_saves_nothing(admin_client, spkt, url):
    response = admin_client.post(ADD, form(spkt, url=url))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Subscription.objects.exists()


def test_a_short_secret_is_refused(admin_client, spkt, settings):
    settings.TANGGAP_WEBHOOK_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    admin_client.post(ADD, form(spkt, secret="short"))
    assert not Subscription.objects.exists()


def test_the_secret_is_stored_encrypted_and_kept_when_left_empty(admin_client, spkt, settings):
    settings.TANGGAP_WEBHOOK_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    # when an allowed subscription is added
    response = admin_client.post(ADD, form(spkt))
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.event_kinds == ["received", "resolved"]
    assert "receiver-secret" not in subscription.secret_enc
    assert decrypt_text(subscription.secret_enc) == "receiver-secret-0123456789"

    # and changed later without typing the secret again
    change = f"/admin/webhooks/subscription/{subscription.pk}/change/"
    page = admin_client.get(change)
    assert "receiver-secret" not in page.content.decode()
    admin_client.post(change, form(spkt, name="Dasbor baru", secret=""))

    subscription.refresh_from_db()
    assert subscription.name == "Dasbor baru"
    assert decrypt_text(subscription.secret_enc) == "receiver-secret-0123456789"


def test_deliveries_and_their_attempts_are_visible(
    admin_client, spkt, peer, settings, django_capture_on_commit_callbacks
):
    # given a delivery whose receiver answered 500
    settings.TANGGAP_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    subscription_save(
        organisation=spkt.organisation, name="Dasbor", url=f"{peer.url}/h", secret="x" * 20
    )
    peer.default = (500, {}, {})
    submit_report(spkt)
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_webhooks.call()

    # then its admin page lists the attempt and its answer
    delivery = Delivery.objects.get()
    page = admin_client.get(f"/admin/webhooks/delivery/{delivery.pk}/change/")
    assert page.status_code == 200
    assert "HTTP 500" in page.content.decode()


def admin_of(unit, username):
    """Return a staff user administering *unit*, with this app's model permissions."""
    user = UserFactory(username=username, is_staff=True)
    MembershipFactory(user=user, unit=unit, role=Role.UNIT_ADMIN)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="webhooks"))
    return user


def test_another_organisations_administrator_sees_none_of_it(
    client, spkt, dpmptsp, peer, settings, django_capture_on_commit_callbacks
):
    # given the SPKT's subscription with a delivery, and a message received on its number
    settings.TANGGAP_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    subscription = subscription_save(
        organisation=spkt.organisation, name="Dasbor", url=f"{peer.url}/h", secret="x" * 20
    )
    submit_report(spkt)
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_webhooks.call()
    delivery = Delivery.objects.get()

    # when the licensing office's administrator looks
    client.force_login(admin_of(dpmptsp, "admin_dpmptsp"))

    # then the lists are empty and the SPKT's rows answer 404 (not found)
    assert not client.get("/admin/webhooks/subscription/").context["cl"].queryset.exists()
    assert not client.get("/admin/webhooks/delivery/").context["cl"].queryset.exists()
    subscription_page = f"/admin/webhooks/subscription/{subscription.pk}/change/"
    assert client.get(subscription_page).status_code in (302, 404)
    assert client.get(f"/admin/webhooks/delivery/{delivery.pk}/change/").status_code in (302, 404)

    # while the SPKT's own administrator sees both
    client.force_login(admin_of(spkt, "admin_spkt"))
    assert client.get(subscription_page).status_code == 200
