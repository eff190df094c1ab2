"""The inbound-mail webhook: a mail provider posts a raw message signed with the secret."""

import logging

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tanggap.notifications.signing import body_signature_valid

from .models import MailStatus
from .parsing import MAX_MAIL_BYTES
from .selectors import webhook_mailbox
from .services import mail_ingest

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Tanggap-Signature"
RETRY_AFTER_SECONDS = 3600

_STATUS_CODES = {
    MailStatus.CREATED: 201,
    MailStatus.JOINED: 200,
    MailStatus.IGNORED: 200,
    MailStatus.HELD: 422,
    MailStatus.THROTTLED: 429,
}


def _error(message: str, code: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message, "code": code}, status=status)


@csrf_exempt  # A machine posts here; the signature is its proof, there is no session.
@require_POST
def inbound(request, key: str):
    """Take one raw RFC 822 message; answer what became of it.

    201 a new report, 200 added to a report or ignored (automatic mail) or already received,
    401 a missing or wrong signature, 413 too large, 422 kept for a person, 429 too many mails
    from the sender (send it again later).
    """
    mailbox = webhook_mailbox(key)
    if mailbox is None:
        return _error(_("There is no such mailbox."), "mailbox", 404)
    try:
        body = request.body
    except RequestDataTooBig:
        body = None
    if body is None or len(body) > MAX_MAIL_BYTES:
        logger.warning("mailbox %s: webhook body too large", mailbox.pk)
        return _error(_("The message is too large."), "too_large", 413)
    given = request.headers.get(SIGNATURE_HEADER, "")
    if not body_signature_valid(mailbox.webhook_secret(), body, given):
        logger.warning("mailbox %s: webhook call with a missing or wrong signature", mailbox.pk)
        return _error(_("The signature is missing or wrong."), "signature", 401)
    if not body.strip():
        return _error(_("The message is empty."), "empty", 400)
    outcome = mail_ingest(mailbox=mailbox, raw=body, source="webhook")
    status = 200 if outcome.duplicate else _STATUS_CODES[outcome.status]
    payload = {"status": outcome.status, "duplicate": outcome.duplicate}
    if outcome.status == MailStatus.HELD:
        payload |= {
            "error": _("The message could not be read as a report; it is kept for a person."),
            "code": outcome.reason,
        }
    response = JsonResponse(payload, status=status)
    if outcome.status == MailStatus.THROTTLED:
        payload |= {"error": _("Too many messages from this sender; send it again later.")}
        response = JsonResponse(
            payload, status=status, headers={"Retry-After": RETRY_AFTER_SECONDS}
        )
    return response
