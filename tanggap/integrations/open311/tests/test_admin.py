"""The Open311 admin: a unit administrator sees their own services and keys only."""

import pytest
from django.contrib.auth.models import Permission

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UserFactory
from tanggap.integrations.open311.models import ApiKey
from tanggap.integrations.open311.services import api_key_issue

pytestmark = pytest.mark.django_db


def admin_of(unit, username):
    """Return a staff user administering *unit*, with the model permissions of this app."""
    user = UserFactory(username=username, is_staff=True)
    MembershipFactory(user=user, unit=unit, role=Role.UNIT_ADMIN)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="open311"))
    return user


def test_other_units_admin_sees_none_of_our_services_or_keys(
    client, service, other_service, spkt, dpmptsp
):
    # given services and keys of two units
    api_key_issue(name="spkt", unit=spkt)
    theirs = api_key_issue(name="dpm", unit=dpmptsp).key
    # when the DPMPTSP's administrator opens the lists and our service's page
    client.force_login(admin_of(dpmptsp, "admin_dpm"))
    services = client.get("/admin/open311/servicedefinition/")
    keys = client.get("/admin/open311/apikey/")
    page = client.get(f"/admin/open311/servicedefinition/{service.pk}/change/")
    # then only their own rows are there, and ours is not found
    assert list(services.context["cl"].queryset) == [other_service]
    assert list(keys.context["cl"].queryset) == [theirs]
    assert page.status_code == 302  # the admin's "does not exist" redirect


def test_keys_are_revoked_from_the_admin_not_created(client, spkt):
    issued = api_key_issue(name="spkt", unit=spkt)
    client.force_login(admin_of(spkt, "admin_spkt"))
    assert client.get("/admin/open311/apikey/add/").status_code == 403
    response = client.post(
        "/admin/open311/apikey/",
        {"action": "revoke", "_selected_action": [issued.key.pk]},
    )
    assert response.status_code == 302
    assert ApiKey.objects.get().revoked_at is not None


def test_service_page_with_attributes_renders_for_its_admin(client, service, spkt):
    client.force_login(admin_of(spkt, "admin_spkt"))
    response = client.get(f"/admin/open311/servicedefinition/{service.pk}/change/")
    assert response.status_code == 200
    assert b"masalah" in response.content
