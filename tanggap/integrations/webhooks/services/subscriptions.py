"""Configuring outbound webhook subscriptions."""

from django.db import transaction
from django.utils.translation import gettext as _

from tanggap.accounts.models import Organisation, Unit
from tanggap.cases.choices import EventKind
from tanggap.common.crypto import encrypt_text
from tanggap.common.exceptions import ApplicationError

from ..addresses import UnsafeURL, url_check
from ..models import Subscription
from .dispatch import PRIVATE_KINDS

MIN_SECRET_LENGTH = 16
EVENT_KINDS = [kind for kind in EventKind if kind not in PRIVATE_KINDS]


def subscription_check(
    *,
    organisation: Organisation,
    name: str,
    url: str,
    secret: str,
    unit: Unit | None,
    event_kinds: list[str],
    is_new: bool,
) -> None:
    """Raise ApplicationError unless these settings make a valid subscription."""
    try:
        url_check(url)
    except UnsafeURL as exc:
        raise ApplicationError(str(exc), code="url") from exc
    if unit is not None and unit.organisation_id != organisation.pk:
        raise ApplicationError(_("The unit does not belong to the organisation."), code="unit")
    if unknown := [k for k in event_kinds if k not in EVENT_KINDS]:
        raise ApplicationError(
            _("These event kinds cannot be sent: %(kinds)s.") % {"kinds": ", ".join(unknown)},
            code="kinds",
        )
    if (secret.strip() or is_new) and len(secret.strip()) < MIN_SECRET_LENGTH:
        raise ApplicationError(
            _("The secret must have at least %(n)d characters.") % {"n": MIN_SECRET_LENGTH},
            code="secret",
        )
    if not name.strip():
        raise ApplicationError(_("Give the subscription a name."), code="name")


@transaction.atomic
def subscription_save(
    *,
    organisation: Organisation,
    name: str,
    url: str,
    secret: str = "",
    unit: Unit | None = None,
    event_kinds: list[str] | None = None,
    is_active: bool = True,
    subscription: Subscription | None = None,
) -> Subscription:
    """Create or change a subscription; the URL must be public and the secret long enough.

    An empty *secret* keeps the stored one of an existing subscription.
    """
    kinds = list(dict.fromkeys(event_kinds or []))
    subscription_check(
        organisation=organisation,
        name=name,
        url=url,
        secret=secret,
        unit=unit,
        event_kinds=kinds,
        is_new=subscription is None,
    )
    row = subscription or Subscription(organisation=organisation)
    row.organisation, row.unit, row.name, row.url = organisation, unit, name.strip()[:100], url
    row.event_kinds, row.is_active = kinds, is_active
    if secret.strip():
        row.secret_enc = encrypt_text(secret.strip())
    if row.pk is None:
        row.save()
    else:
        fields = ["organisation", "unit", "name", "url", "event_kinds", "is_active", "secret_enc"]
        row.save(update_fields=[*fields, "updated_at"])
    return row
