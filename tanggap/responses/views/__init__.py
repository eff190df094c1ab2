"""Reply screens for staff (officer.py) and the citizen's side of replies (citizen.py)."""

from django.http import FileResponse, HttpResponse

from ..letter import letter_filename, letter_pdf
from ..models import Reply, ReplyAttachment


def attachment_response(attachment: ReplyAttachment) -> FileResponse:
    """Stream a reply's file; photos and PDFs open in the browser, under a closed policy."""
    inline = (
        attachment.content_type.startswith("image/") or attachment.content_type == "application/pdf"
    )
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not inline,
        filename=attachment.name,
    )
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    return response


def letter_response(reply: Reply, *, recipient_code: str) -> HttpResponse:
    """Return the reply letter as a PDF download."""
    response = HttpResponse(
        letter_pdf(reply, recipient_code=recipient_code), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{letter_filename(reply)}"'
    return response
