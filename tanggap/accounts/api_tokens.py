"""API tokens: issuing, revoking, checking a presented token, and the units a token may touch."""

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from tanggap.common.exceptions import ApplicationError

from .models import ApiToken, Membership, Unit, User
from .scoping import units_for

TOKEN_PREFIX = "tgp"  # noqa: S105 - the public marker of a token, not a secret
MAX_DAYS = 730
# A token's last use is written at most this often: a busy integration would otherwise
# turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def token_digest(raw: str) -> str:
    """Return the keyed digest of a raw token; the database alone cannot produce a token."""
    return salted_hmac("tanggap.accounts.api_token", raw, algorithm="sha256").hexdigest()


@dataclass
class IssuedToken:
    token: ApiToken
    raw: str


def api_token_validate(*, user: User, name: str, units: list[Unit], days: int) -> None:
    """Refuse a token that would be unnamed, endless, unscoped or beyond its user's units."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ApplicationError(_("Give the token a name of 1 to 100 characters."), code="name")
    if not user.is_active:
        raise ApplicationError(_("The user is not active."), code="inactive")
    if not 1 <= days <= MAX_DAYS:
        raise ApplicationError(
            _("A token lasts from 1 to %(n)d days.") % {"n": MAX_DAYS}, code="days"
        )
    if not units:
        raise ApplicationError(_("Choose at least one unit for the token."), code="units")
    paths = list(Membership.objects.filter(user=user).values_list("unit__path", flat=True))
    for unit in units:
        if not user.is_superuser and not any(unit.path.startswith(p) for p in paths):
            raise ApplicationError(
                _("%(user)s has no role on %(unit)s.") % {"user": user, "unit": unit},
                code="unit",
            )


@transaction.atomic
def api_token_create(*, user: User, name: str, units: list[Unit], days: int = 365) -> IssuedToken:
    """Issue a token acting as *user* on *units*; return it with the raw value, shown once.

    Every unit must be one where *user* holds a role (on it or on an ancestor).
    """
    api_token_validate(user=user, name=name, units=units, days=days)
    name = name.strip()
    prefix = secrets.token_hex(6)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        digest=token_digest(raw),
        expires_at=timezone.now() + timedelta(days=days),
    )
    token.units.set(units)
    return IssuedToken(token=token, raw=raw)


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke *token* at once; revoking twice keeps the first time."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    return token


def api_token_check(raw: str) -> ApiToken | None:
    """Return the live token *raw* names (not expired, not revoked, active user), or None."""
    parts = raw.split("_", 2) if isinstance(raw, str) and len(raw) < 200 else []
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.filter(prefix=parts[1], revoked_at__isnull=True, expires_at__gt=now)
        .select_related("user")
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, token_digest(raw)):
        return None
    if not token.user.is_active:
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def token_units(token: ApiToken, capability: str) -> QuerySet[Unit]:
    """Return the units where *token* may use *capability*: its units' branches ∩ its user's."""
    paths = list(token.units.values_list("path", flat=True))
    if not paths:
        return Unit.objects.none()
    branch = Q()
    for path in paths:
        branch |= Q(path__startswith=path)
    return units_for(token.user, capability).filter(branch)


def token_roots(token: ApiToken, capability: str) -> list[Unit]:
    """Return the topmost units of *token*'s scope for *capability*, none below another."""
    units = list(token_units(token, capability).order_by("path"))
    roots: list[Unit] = []
    for unit in units:
        if not any(unit.path.startswith(root.path) for root in roots):
            roots.append(unit)
    return roots
