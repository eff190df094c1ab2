"""Personas and shared fixtures: units of two organisations and one user per role."""

import pytest

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import (
    CategoryFactory,
    MembershipFactory,
    ServiceFactory,
    UnitFactory,
    UserFactory,
)


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
