"""Issuing and revoking keys: digests only, one scope, revocation at once."""

import io

import pytest
from django.core.management import call_command

from tanggap.accounts.tests.factories import UnitFactory
from tanggap.common.exceptions import ApplicationError
from tanggap.integrations.open311 import selectors
from tanggap.integrations.open311.models import ApiKey
from tanggap.integrations.open311.services import api_key_issue, api_key_revoke

pytestmark = pytest.mark.django_db


def test_key_is_stored_only_as_a_digest(spkt):
    issued = api_key_issue(name="Aplikasi", unit=spkt)
    row = ApiKey.objects.get()
    assert issued.raw not in (row.digest, row.prefix, row.name)
    assert len(row.digest) == 64
    assert selectors.api_key_find(issued.raw) == row
    assert selectors.api_key_find(issued.raw + "x") is None


def test_key_needs_exactly_one_scope(spkt):
    with pytest.raises(ApplicationError):
        api_key_issue(name="x")
    with pytest.raises(ApplicationError):
        api_key_issue(name="x", unit=spkt, organisation=spkt.organisation)
    assert not ApiKey.objects.exists()


def test_same_raw_key_cannot_be_issued_twice(spkt):
    api_key_issue(name="a", unit=spkt, raw="FIXED-KEY")
    with pytest.raises(ApplicationError):
        api_key_issue(name="b", unit=spkt, raw="FIXED-KEY")


def test_revoked_key_is_no_longer_found(spkt):
    issued = api_key_issue(name="a", unit=spkt)
    api_key_revoke(key=issued.key)
    api_key_revoke(key=issued.key)  # twice is harmless
    assert selectors.api_key_find(issued.raw) is None


def test_unit_key_covers_sub_units_only(spkt, dpmptsp):
    child = UnitFactory(organisation=spkt.organisation, parent=spkt)
    key = api_key_issue(name="a", unit=spkt).key
    assert key.covers(spkt) and key.covers(child)
    assert not key.covers(dpmptsp)


def test_command_issues_lists_and_revokes(spkt):
    out = io.StringIO()
    call_command("open311_key", "issue", "Aplikasi warga", "--unit", spkt.slug, stdout=out)
    raw = out.getvalue().splitlines()[1].strip()
    assert selectors.api_key_find(raw) is not None
    key = ApiKey.objects.get()
    call_command("open311_key", "revoke", str(key.pk), stdout=io.StringIO())
    assert selectors.api_key_find(raw) is None
    listing = io.StringIO()
    call_command("open311_key", "list", stdout=listing)
    assert "revoked" in listing.getvalue()
