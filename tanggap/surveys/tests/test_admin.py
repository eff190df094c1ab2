"""The invitation admin: read-only, without the token digest, scoped to the unit's admins."""

import pytest
from django.contrib.auth.models import Permission

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UserFactory
from tanggap.surveys.tests.factories import SurveyPeriodFactory
from tanggap.surveys.tests.invited import invited

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/surveys/surveyinvitation/"


def admin_of(unit, username):
    """Return a staff user administering *unit*, with the model permissions of this app."""
    user = UserFactory(username=username, is_staff=True)
    MembershipFactory(user=user, unit=unit, role=Role.UNIT_ADMIN)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="surveys"))
    return user


def test_the_units_admin_reads_its_invitations_and_changes_nothing(client, spkt, officer):
    # given an invitation of the SPKT
    SurveyPeriodFactory(unit=spkt)
    invitation, _token = invited(spkt, officer)
    client.force_login(admin_of(spkt, "admin_spkt"))

    # when its administrator opens the list, the invitation and the add page
    listing = client.get(CHANGELIST)
    detail = client.get(f"{CHANGELIST}{invitation.pk}/change/")
    add = client.get(f"{CHANGELIST}add/")
    changed = client.post(f"{CHANGELIST}{invitation.pk}/change/", {"language": "en"})

    # then it is listed and shown read-only, without the digest, and cannot be added or changed
    assert list(listing.context["cl"].queryset) == [invitation]
    assert detail.status_code == 200 and invitation.token_digest not in detail.content.decode()
    assert add.status_code == 403 and changed.status_code == 403
    invitation.refresh_from_db()
    assert invitation.language == "id"


def test_another_units_admin_does_not_see_them(client, spkt, officer, dpmptsp):
    SurveyPeriodFactory(unit=spkt)
    invitation, _token = invited(spkt, officer)
    client.force_login(admin_of(dpmptsp, "admin_dpmptsp"))

    listing = client.get(CHANGELIST)
    detail = client.get(f"{CHANGELIST}{invitation.pk}/change/")

    assert list(listing.context["cl"].queryset) == []
    assert detail.status_code in (302, 404)
