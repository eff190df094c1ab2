"""API tokens: stored as keyed digests, scoped, expiring, revocable; command and admin."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tanggap.accounts.api_tokens import api_token_check, api_token_create, token_units
from tanggap.accounts.models import ApiToken
from tanggap.accounts.roles import Capability
from tanggap.accounts.tests.factories import UnitFactory, UserFactory
from tanggap.common.exceptions import ApplicationError
from tanggap.common.tests.api_helpers import get

pytestmark = pytest.mark.django_db


def test_only_a_keyed_digest_is_stored_and_the_raw_token_opens_it(spkt, officer):
    # given a token issued to an officer
    issued = api_token_create(user=officer, name="Aplikasi loket", units=[spkt])
    row = ApiToken.objects.filter(pk=issued.token.pk).values().get()
    # when the raw token and a tampered copy are checked
    found = api_token_check(issued.raw)
    tampered = api_token_check(issued.raw[:-2] + ("AA" if issued.raw[-2:] != "AA" else "BB"))
    # then no stored field holds the secret part, the raw token opens it, the copy does not
    secret = issued.raw.split("_", 2)[2]
    assert not any(secret in str(value) for value in row.values())
    assert found == issued.token
    assert tampered is None


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"name": "  "}, "name"),
        ({"days": 0}, "days"),
        ({"days": 10_000}, "days"),
        ({"units": []}, "units"),
    ],
)
def test_a_token_must_be_named_scoped_and_finite(spkt, officer, changes, code):
    # when a token is issued with a missing or unbounded part
    kwargs = {"user": officer, "name": "Integrasi", "units": [spkt], "days": 30} | changes
    with pytest.raises(ApplicationError) as refused:
        api_token_create(**kwargs)
    # then it is refused, and no token exists
    assert refused.value.code == code
    assert not ApiToken.objects.exists()


def test_a_token_cannot_reach_beyond_its_users_units(spkt, dpmptsp, officer):
    # when an SPKT officer asks for a token on the DPMPTSP
    with pytest.raises(ApplicationError) as refused:
        api_token_create(user=officer, name="Integrasi", units=[dpmptsp])
    # then it is refused
    assert refused.value.code == "unit"


def test_a_tokens_units_are_its_branches_within_its_users_rights(spkt, supervisor):
    # given a supervisor of the whole unit and a token on one branch of it
    branch = UnitFactory(organisation=spkt.organisation, parent=spkt)
    below = UnitFactory(organisation=spkt.organisation, parent=branch)
    token = api_token_create(user=supervisor, name="Pos", units=[branch]).token
    # then the token covers the branch and what is below it, not the parent
    assert set(token_units(token, Capability.VIEW_CASES)) == {branch, below}


def test_a_deactivated_user_takes_their_tokens_down(client, spkt, officer):
    # given a token of an officer who then leaves
    raw = api_token_create(user=officer, name="Laptop", units=[spkt]).raw
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    # when the token is used
    response = get(client, "/me", token=raw)
    # then it is refused
    assert response.status_code == 401


def test_me_names_the_user_and_the_units(client, spkt, officer):
    # given a token
    raw = api_token_create(user=officer, name="Laptop", units=[spkt]).raw
    # when it asks who it is
    body = get(client, "/me", token=raw).json()
    # then the user, the name and the units come back
    assert body["username"] == officer.username
    assert body["token_name"] == "Laptop"
    assert [u["id"] for u in body["units"]] == [spkt.pk]


def test_the_command_creates_lists_and_revokes(client, spkt, officer):
    # given a token made with the command
    out = StringIO()
    call_command(
        "api_token",
        "create",
        "--user",
        officer.username,
        "--unit",
        spkt.slug,
        "--name",
        "Kios",
        stdout=out,
    )
    raw = out.getvalue().strip().splitlines()[-1]
    prefix = raw.split("_")[1]
    listing = StringIO()
    call_command("api_token", "list", stdout=listing)
    # when it is revoked
    works_before = get(client, "/me", token=raw).status_code
    call_command("api_token", "revoke", prefix, stdout=StringIO())
    # then it worked before and is refused after; the list never shows the secret
    assert works_before == 200
    assert get(client, "/me", token=raw).status_code == 401
    assert prefix in listing.getvalue()
    assert raw.split("_", 2)[2] not in listing.getvalue()


def test_the_command_explains_a_refusal(spkt, dpmptsp, officer):
    # when a token is asked for a unit of another organisation
    with pytest.raises(CommandError):
        call_command(
            "api_token",
            "create",
            "--user",
            officer.username,
            "--unit",
            dpmptsp.slug,
            "--name",
            "Salah",
            stdout=StringIO(),
        )
    # then nothing was issued
    assert not ApiToken.objects.exists()


def test_a_superuser_issues_a_token_in_the_admin_and_sees_it_once(client, spkt, officer):
    # given a superuser in the admin
    admin_user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    # when they issue a token for the officer
    response = client.post(
        "/admin/accounts/apitoken/add/",
        {"name": "Aplikasi", "user": officer.pk, "units": [spkt.pk], "days": 30},
        follow=True,
    )
    # then the token exists, and the raw value was shown in the message only
    token = ApiToken.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    raw = next(word for m in shown for word in m.split() if word.startswith("tgp_"))
    assert api_token_check(raw) == token
    assert list(token.units.all()) == [spkt]


def test_staff_who_are_not_superusers_cannot_see_tokens_in_the_admin(client, spkt):
    # given a unit administrator with admin access
    user = UserFactory(username="admin_unit", is_staff=True)
    client.force_login(user)
    # when they open the token list
    response = client.get("/admin/accounts/apitoken/")
    # then it is refused
    assert response.status_code == 403
