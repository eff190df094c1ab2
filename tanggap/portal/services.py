"""Writes of the portal: publishing and withdrawing cases, followers and their e-mails."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core import signing
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import user_can
from tanggap.cases.choices import EventKind, RejectReason
from tanggap.cases.events import case_event_record
from tanggap.cases.models import Case, CaseEvent
from tanggap.common.crypto import decrypt_text, encrypt_text
from tanggap.common.exceptions import ApplicationError
from tanggap.common.throttle import throttle_count, throttle_locked_until
from tanggap.insights import pii
from tanggap.intake.models import Report
from tanggap.intake.services import secret_digest
from tanggap.notifications.models import NotificationChannel
from tanggap.notifications.services import notification_queue

from .models import Follower, Publication
from .selectors import NOTIFY_KINDS

MAX_TITLE, MAX_TEXT = 200, 10000
CONFIRM_MAX_AGE = 7 * 24 * 3600
# Follow requests per client address and per e-mail address within the window.
CLIENT_LIMIT, EMAIL_LIMIT, THROTTLE_WINDOW = 20, 5, timedelta(hours=1)
_SALT = "tanggap.portal.follower"


@dataclass(frozen=True)
class PublicationInput:
    """What the officer approved: the texts as they will appear, and whether to publish anyway."""

    title: str
    text: str
    reply: str = ""
    confirmed: bool = False


def case_is_confidential(case: Case) -> bool:
    """Return whether the case or any of its reports is confidential (rahasia)."""
    return case.is_confidential or Report.objects.filter(case=case, is_confidential=True).exists()


def remaining_identifiers(data: PublicationInput) -> list[tuple[str, str]]:
    """Return (kind, text) of every identifier the detector still finds in the approved texts."""
    found = []
    for value in (data.title, data.text, data.reply):
        found += [(s.kind, value[s.start : s.end]) for s in pii.find(value)]
    return found


def _check(case: Case, by, data: PublicationInput) -> None:
    if not user_can(by, Capability.HANDLE_CASES, case.unit):
        raise ApplicationError(_("Your role may not do this on this case."), code="forbidden")
    if case_is_confidential(case):
        raise ApplicationError(
            _("This report is confidential (rahasia): it can never be published."),
            code="confidential",
        )
    if case.reject_reason in (RejectReason.ABUSIVE, RejectReason.SPAM):
        raise ApplicationError(
            _("A case rejected as spam or abusive cannot be published."), code="rejected"
        )
    if not data.title.strip() or not data.text.strip():
        raise ApplicationError(_("Give the public title and text."), code="empty")
    if len(data.title) > MAX_TITLE or len(data.text) > MAX_TEXT or len(data.reply) > MAX_TEXT:
        raise ApplicationError(_("The public texts are too long."), code="too_long")
    if not data.confirmed and remaining_identifiers(data):
        raise ApplicationError(
            _(
                "The text still holds what looks like personal data. Mask it, or confirm "
                "that it may be published."
            ),
            code="identifiers_remain",
        )


def _rounded(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def _location(case: Case) -> tuple[Decimal | None, Decimal | None]:
    located = (
        Report.objects.filter(case=case, latitude__isnull=False, longitude__isnull=False)
        .order_by("created_at", "id")
        .first()
    )
    if located is None:
        return None, None
    return _rounded(located.latitude), _rounded(located.longitude)


@transaction.atomic
def publication_publish(*, case: Case, by, data: PublicationInput) -> Publication:
    """Publish *case* (or update its publication) with the texts the officer approved.

    Refused for a confidential case, for a role that cannot handle the case, and, unless
    *data.confirmed*, while the detector still finds an identifier in the texts.
    """
    case = Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
    _check(case, by, data)
    now = timezone.now()
    latitude, longitude = _location(case)
    publication = Publication.objects.filter(case=case).first()
    update = publication is not None and publication.is_active
    if publication is None:
        publication = Publication(case=case, notified_event_id=_last_event_id(case))
    publication.title, publication.text = data.title.strip(), data.text.strip()
    publication.reply = data.reply.strip()
    publication.is_active, publication.withdrawn_at = True, None
    publication.published_by, publication.published_at = by, now
    publication.latitude, publication.longitude = latitude, longitude
    publication.save()
    case_event_record(
        case=case,
        kind=EventKind.PUBLISHED,
        actor=by,
        data={"update": update, "confirmed_identifiers": bool(data.confirmed)},
    )
    if not update:
        # Followers are told of what happens from now on, not of the publication itself.
        publication.notified_event_id = _last_event_id(case)
        publication.save(update_fields=["notified_event_id", "updated_at"])
    return publication


def _last_event_id(case: Case) -> int:
    last = CaseEvent.objects.filter(case=case).order_by("-id").values_list("id", flat=True)
    return last.first() or 0


@transaction.atomic
def publication_withdraw(*, publication: Publication, by, reason: str) -> Publication:
    """Take a case off the portal at once; the reason stays in the case's internal log."""
    publication = (
        Publication.objects.select_for_update(of=("self",))
        .select_related("case__unit")
        .get(pk=publication.pk)
    )
    if not user_can(by, Capability.HANDLE_CASES, publication.case.unit):
        raise ApplicationError(_("Your role may not do this on this case."), code="forbidden")
    if len(reason.strip()) < 10:
        raise ApplicationError(
            _("Give a reason of at least 10 characters."), code="reason_too_short"
        )
    if not publication.is_active:
        return publication
    publication.is_active, publication.withdrawn_at = False, timezone.now()
    publication.save(update_fields=["is_active", "withdrawn_at", "updated_at"])
    case_event_record(
        case=publication.case,
        kind=EventKind.UNPUBLISHED,
        actor=by,
        is_public=False,
        message=reason.strip(),
    )
    return publication


def email_digest(address: str) -> str:
    """Return the keyed digest of a normalised e-mail address."""
    return secret_digest("portal.follower", address.strip().lower())


def follower_token(follower: Follower, action: str) -> str:
    """Return the signed token of a confirmation or unsubscribe link."""
    return signing.dumps({"f": follower.pk, "a": action}, salt=_SALT, compress=True)


def _follower_from(token: str, action: str, max_age: int | None) -> Follower:
    try:
        data = signing.loads(token, salt=_SALT, max_age=max_age)
    except signing.BadSignature:
        data = None
    if not isinstance(data, dict) or data.get("a") != action:
        raise ApplicationError(_("This link is not valid or has expired."), code="invalid_link")
    follower = Follower.objects.filter(pk=data.get("f")).select_related("publication").first()
    if follower is None:
        raise ApplicationError(_("This link is not valid or has expired."), code="invalid_link")
    return follower


def _absolute(path: str) -> str:
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}"


def _link(name: str, token: str) -> str:
    return _absolute(reverse(name, args=[token]))


def _throttle(client: str, digest: str) -> None:
    """Refuse a client or an address that asked too often: confirmation mails are not spam."""
    keys = [(f"portal.follow.client:{client}", CLIENT_LIMIT)] if client else []
    keys.append((f"portal.follow.email:{digest}", EMAIL_LIMIT))
    if any(throttle_locked_until(key=key) for key, _limit in keys):
        raise ApplicationError(
            _("Too many requests to follow cases. Try again later."), code="throttled"
        )
    for key, limit in keys:
        throttle_count(key=key, limit=limit, window=THROTTLE_WINDOW)


@transaction.atomic
def follower_subscribe(
    *, publication: Publication, email: str, language: str = "id", client: str = ""
) -> None:
    """Ask *email* to confirm following *publication*; answer the same whether known or not.

    A client address (*client*) or an e-mail address asking too often is refused for a while.
    """
    email = email.strip()
    try:
        validate_email(email)
    except Exception as exc:  # noqa: BLE001 - a ValidationError of any shape
        raise ApplicationError(_("Enter a valid e-mail address."), code="email") from exc
    digest = email_digest(email)
    _throttle(client, digest)
    follower = Follower.objects.filter(publication=publication, email_digest=digest).first()
    if follower is None:
        try:
            with transaction.atomic():
                follower = Follower.objects.create(
                    publication=publication,
                    email_enc=encrypt_text(email),
                    email_digest=digest,
                    language=language,
                )
        except IntegrityError:
            follower = Follower.objects.get(publication=publication, email_digest=digest)
    elif follower.is_active:
        return
    elif follower.unsubscribed_at:
        follower.unsubscribed_at, follower.confirmed_at = None, None
        follower.save(update_fields=["unsubscribed_at", "confirmed_at", "updated_at"])
    notification_queue(
        channel=NotificationChannel.EMAIL,
        recipient=email,
        template="portal_follow_confirm",
        context={
            "publication": publication,
            "reference": publication.case.reference,
            "confirm_url": _link("portal:follow_confirm", follower_token(follower, "confirm")),
        },
        reference=publication.case.reference,
        language=language,
    )


@transaction.atomic
def follower_confirm(*, token: str) -> Follower:
    """Confirm a subscription from its link; confirming twice changes nothing."""
    follower = _follower_from(token, "confirm", CONFIRM_MAX_AGE)
    if follower.confirmed_at is None or follower.unsubscribed_at is not None:
        follower.confirmed_at, follower.unsubscribed_at = timezone.now(), None
        follower.save(update_fields=["confirmed_at", "unsubscribed_at", "updated_at"])
    return follower


@transaction.atomic
def follower_unsubscribe(*, token: str) -> Follower:
    """Stop a subscription from its link; the address is erased, only its digest stays."""
    follower = _follower_from(token, "unsubscribe", None)
    if follower.unsubscribed_at is None:
        follower.unsubscribed_at, follower.email_enc = timezone.now(), ""
        follower.save(update_fields=["unsubscribed_at", "email_enc", "updated_at"])
    return follower


@transaction.atomic
def followers_notify(*, publication_id: int) -> int:
    """Tell a published case's followers what changed since they were last told.

    One e-mail per new status or reply event and follower, keyed so a rerun sends nothing
    twice; nothing at all while the case is withdrawn or confidential. Return the e-mails queued.
    """
    publication = (
        Publication.objects.select_for_update(of=("self",))
        .select_related("case")
        .filter(pk=publication_id)
        .first()
    )
    if publication is None:
        return 0
    events = list(
        publication.case.events.filter(id__gt=publication.notified_event_id).order_by("id")
    )
    if not events:
        return 0
    publication.notified_event_id = events[-1].id
    publication.save(update_fields=["notified_event_id", "updated_at"])
    if not publication.is_active or case_is_confidential(publication.case):
        return 0
    followers = list(
        publication.followers.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)
    )
    queued = 0
    for event in events:
        if event.kind not in NOTIFY_KINDS or not event.is_public:
            continue
        for follower in followers:
            notification_queue(
                channel=NotificationChannel.EMAIL,
                recipient=decrypt_text(follower.email_enc),
                template="portal_follow_update",
                context={
                    "publication": publication,
                    "reference": publication.case.reference,
                    "event_kind": event.kind,
                    "status": publication.case.status,
                    "case_url": _case_url(publication),
                    "unsubscribe_url": _link(
                        "portal:unfollow", follower_token(follower, "unsubscribe")
                    ),
                },
                reference=publication.case.reference,
                key=f"portal:event:{event.id}:follower:{follower.pk}",
                language=follower.language,
            )
            queued += 1
    return queued


def _case_url(publication: Publication) -> str:
    return _absolute(reverse("portal:detail", args=[publication.case.reference]))
