"""Writes of the Open311 adapter: issuing and revoking API keys, accepting service requests."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tanggap.cases.choices import Channel
from tanggap.common.exceptions import ApplicationError
from tanggap.intake.services import ReportInput, report_submit

from .keys import key_digest, new_key, new_token
from .models import ApiKey, Open311Request, ServiceDefinition
from .params import SubmissionInput

EXTERNAL_SOURCE = "open311"
TITLE_LENGTH = 100


@dataclass
class IssuedKey:
    key: ApiKey
    raw: str


def api_key_issue(
    *, name: str, unit=None, organisation=None, raw: str | None = None, by=None
) -> IssuedKey:
    """Issue a key for one unit (and its sub-units) or one organisation; return it once.

    *raw* fixes the key's text (the demo key); otherwise a random key is drawn.
    """
    name = name.strip()
    if not name:
        raise ApplicationError(_("Give the client a name."), code="name")
    if (unit is None) == (organisation is None):
        raise ApplicationError(
            _("A key is scoped to exactly one unit or one organisation."), code="scope"
        )
    raw = raw or new_key()
    try:
        with transaction.atomic():
            key = ApiKey.objects.create(
                name=name,
                unit=unit,
                organisation=organisation,
                prefix=raw[:8],
                digest=key_digest(raw),
                issued_by=by,
            )
    except IntegrityError:
        raise ApplicationError(_("This key is already issued."), code="duplicate") from None
    return IssuedKey(key=key, raw=raw)


@transaction.atomic
def api_key_revoke(*, key: ApiKey) -> ApiKey:
    """Revoke *key* at once; a revoked key stays on record with the requests it sent."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at", "updated_at"])
    return key


def _title(definition: ServiceDefinition, description: str) -> str:
    first_line = description.splitlines()[0].strip() if description else ""
    if not first_line:
        return definition.name[:TITLE_LENGTH]
    if len(first_line) <= TITLE_LENGTH:
        return first_line
    return first_line[: TITLE_LENGTH - 1].rstrip() + "…"


def _answers_text(definition: ServiceDefinition, answers: dict) -> str:
    """Return the attribute answers as lines an officer can read: "question: label"."""
    lines = []
    for attribute in definition.attributes.all():
        if attribute.code not in answers:
            continue
        sent = answers[attribute.code]
        names = {str(item["key"]): item["name"] for item in attribute.values}
        values = sent if isinstance(sent, list) else [sent]
        lines.append(f"{attribute.description}: {', '.join(names.get(v, v) for v in values)}")
    return "\n".join(lines)


@transaction.atomic
def request_submit(
    *, api_key: ApiKey, definition: ServiceDefinition, data: SubmissionInput, language: str
) -> Open311Request:
    """Turn a checked Open311 submission into a report and case of the service's unit.

    The key must be active and cover the service's unit. The attribute answers are kept as
    submitted and added to the report's text for the officers.
    """
    if api_key.revoked_at is not None:
        raise ApplicationError(_("This api_key was revoked."), code="revoked")
    if not definition.is_active:
        raise ApplicationError(_("This service no longer takes requests."), code="inactive")
    if not api_key.covers(definition.unit):
        raise ApplicationError(
            _("This api_key cannot submit requests to this service."), code="forbidden"
        )
    answers = _answers_text(definition, data.attributes)
    text = "\n\n".join(part for part in (data.description, answers) if part) or definition.name
    token = new_token()
    name = " ".join(part for part in (data.first_name, data.last_name) if part)
    submission = report_submit(
        ReportInput(
            unit=definition.unit,
            kind=definition.kind,
            channel=Channel.OPEN311,
            title=_title(definition, data.description),
            description=text,
            service=definition.service,
            category=definition.category,
            location_text=data.address_string,
            latitude=data.latitude,
            longitude=data.longitude,
            language=language,
            is_anonymous=not name,
            is_confidential=definition.is_confidential,
            name=name,
            email=data.email,
            phone=data.phone,
            files=[data.media] if data.media else [],
            external_source=EXTERNAL_SOURCE,
            external_ref=token,
        )
    )
    request = Open311Request.objects.create(
        report=submission.report,
        definition=definition,
        api_key=api_key,
        token=token,
        address_id=data.address_id,
        media_url=data.media_url,
        attributes=data.attributes,
    )
    api_key.last_used_at = timezone.now()
    api_key.save(update_fields=["last_used_at"])
    return request
