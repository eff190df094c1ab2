"""The unit tree and scoping: memberships cover sub-units, nothing else is visible."""

import pytest

from tanggap.accounts.models import Unit
from tanggap.accounts.roles import Capability, Role
from tanggap.accounts.scoping import units_for, user_can
from tanggap.accounts.tests.factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    root = UnitFactory(name="Polres")
    spkt = UnitFactory(organisation=root.organisation, parent=root, name="SPKT")
    desk = UnitFactory(organisation=root.organisation, parent=spkt, name="Piket")
    other = UnitFactory(name="DPMPTSP")
    return root, spkt, desk, other


def test_paths_follow_the_tree(tree):
    root, spkt, desk, _ = tree

    assert desk.path == f"/{root.pk}/{spkt.pk}/{desk.pk}/"


def test_moving_a_unit_moves_its_sub_units(tree):
    root, spkt, desk, _ = tree
    new_parent = UnitFactory(organisation=root.organisation, parent=root, name="Satlantas")

    spkt.parent = new_parent
    spkt.save()

    desk.refresh_from_db()
    assert desk.path == f"/{root.pk}/{new_parent.pk}/{spkt.pk}/{desk.pk}/"


def test_membership_covers_sub_units_and_nothing_beside(tree):
    root, spkt, desk, other = tree
    user = UserFactory()
    MembershipFactory(user=user, unit=spkt, role=Role.OFFICER)

    visible = set(units_for(user, Capability.VIEW_CASES))

    assert visible == {spkt, desk}


def test_capabilities_follow_roles(tree):
    root, *_ = tree
    auditor, surveyor = UserFactory(), UserFactory()
    MembershipFactory(user=auditor, unit=root, role=Role.AUDITOR)
    MembershipFactory(user=surveyor, unit=root, role=Role.SURVEYOR)

    assert user_can(auditor, Capability.VIEW_CASES, root)
    assert not user_can(auditor, Capability.VIEW_IDENTITY, root)
    assert not user_can(auditor, Capability.HANDLE_CASES, root)
    assert not user_can(surveyor, Capability.VIEW_CASES, root)


def test_inactive_and_anonymous_users_see_nothing(tree):
    root, *_ = tree
    user = UserFactory(is_active=False)
    MembershipFactory(user=user, unit=root, role=Role.SUPERVISOR)

    assert not units_for(user, Capability.VIEW_CASES).exists()


def test_superuser_sees_every_unit(tree):
    assert (
        units_for(UserFactory(is_superuser=True), Capability.VIEW_CASES).count()
        == Unit.objects.count()
    )


def test_a_unit_cannot_be_placed_below_itself(tree):
    from django.core.exceptions import ValidationError

    root, spkt, desk, _ = tree
    spkt.parent = desk

    with pytest.raises(ValidationError):
        spkt.full_clean()


def test_unit_admin_sees_only_staff_of_own_units_in_the_admin(client, tree):
    root, spkt, _, other = tree
    admin_user = UserFactory(username="admin.polres", is_staff=True)
    MembershipFactory(user=admin_user, unit=root, role=Role.UNIT_ADMIN)
    from django.contrib.auth.models import Permission

    admin_user.user_permissions.add(Permission.objects.get(codename="view_user"))
    mine, theirs = UserFactory(username="petugas.polres"), UserFactory(username="petugas.dpmptsp")
    MembershipFactory(user=mine, unit=spkt)
    MembershipFactory(user=theirs, unit=other)
    client.force_login(admin_user)

    page = client.get("/admin/accounts/user/").content.decode()

    assert "petugas.polres" in page and "petugas.dpmptsp" not in page
