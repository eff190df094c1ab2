"""The reply letter (surat balasan): a published final reply as a PDF on the unit's letterhead."""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Reply
from .placeholders import indonesian_date


def letter_context(reply: Reply, *, recipient_code: str) -> dict:
    """Return what the letter shows; the reporter is named only by *recipient_code*."""
    case = reply.case
    data = reply.letter_data or {}
    published = timezone.localtime(reply.published_at, case.unit.tz)
    return {
        "reply": reply,
        "case": case,
        "agency": data.get("agency") or case.organisation.name,
        "unit_name": data.get("unit") or case.unit.name,
        "address": data.get("address", ""),
        "place": data.get("place", ""),
        "signer_name": data.get("signer_name", ""),
        "signer_title": data.get("signer_title", ""),
        "signer_nip": data.get("signer_nip", ""),
        "date": indonesian_date(published.date()),
        "recipient_code": recipient_code,
        "attachments": list(reply.attachments.all()),
    }


def letter_filename(reply: Reply) -> str:
    """Return the download name, e.g. surat-balasan-TGP-ABCD-EFGH.pdf."""
    return f"surat-balasan-{reply.case.reference}.pdf"


def letter_pdf(reply: Reply, *, recipient_code: str) -> bytes:
    """Render a published final reply as the unit's letter, in Indonesian.

    Precondition: the reply is published, final and numbered.
    """
    from weasyprint import HTML  # noqa: PLC0415 - heavy import kept off the start-up path

    with translation.override("id"):
        html = render_to_string(
            "responses/letter_pdf.html",
            letter_context(reply, recipient_code=recipient_code) | {"LANGUAGE_CODE": "id"},
        )
    return HTML(string=html).write_pdf()
