"""API for staff: adding files to a report, and reading a case's files, within the token's units.

Files pass the same checks as a citizen's (uploads.clean_uploads): images are re-encoded
without metadata, PDFs that can run code are refused.
"""

from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.db.models import Q
from django.http import FileResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from tanggap.accounts.api import token_auth
from tanggap.accounts.api_tokens import token_units
from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import get_scoped_or_404
from tanggap.common.api import AUTH_ERRORS, ErrorOut, error_response
from tanggap.common.exceptions import ApplicationError

from .api import IdempotencyKey
from .api_cases import AttachmentOut, scoped_case, scoped_cases
from .models import Attachment, Report
from .services import report_files_add
from .tracking import normalize_tracking_code
from .uploads import MAX_FILES, MAX_TOTAL_BYTES, clean_uploads

router = Router(tags=["attachments"], auth=token_auth)

# Multipart bodies are read from request.FILES by the view (after the API's size limit and
# Idempotency-Key have read the body); the schema is declared here for the OpenAPI document.
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "maxItems": MAX_FILES,
                            "description": "Photos (JPEG, PNG, WebP) or PDFs.",
                        }
                    },
                }
            }
        },
    }
}


class ReportFilesOut(Schema):
    tracking_code: str
    attachments: list[AttachmentOut] = Field(description="Every file of the report now.")


def _staff_report(request, code: str) -> Report:
    """Return the report with tracking *code* the token may reach, or raise 404.

    Reachable: a report of a case the token sees, or one its user entered in its units.
    """
    token, user = request.auth, request.auth.user
    seen = Q(case__in=scoped_cases(request))
    entered = Q(received_by=user, unit__in=token_units(token, Capability.ENTER_REPORTS))
    qs = Report.objects.filter(seen | entered).select_related("unit")
    return get_scoped_or_404(qs, tracking_code=normalize_tracking_code(code) or "")


def _uploaded(request) -> list[tuple[str, bytes]] | None:
    """Return the `files` parts as (name, bytes), or None when the multipart body is broken."""
    try:
        files = request.FILES.getlist("files")
    except (MultiPartParserError, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        return None
    return [(f.name or "", f.read()) for f in files]


def _invalid(message: str):
    return error_response(
        422,
        "invalid",
        _("Some fields are not valid."),
        fields=[{"field": "files", "message": message}],
    )


@router.post(
    "/reports/{code}/attachments",
    response={201: ReportFilesOut, 403: ErrorOut} | AUTH_ERRORS,
    openapi_extra=UPLOAD_BODY,
)
def report_files_upload(request, code: str, idempotency_key: str = IdempotencyKey):
    """Attach photos or PDFs to a report of the token's cases, or to one its user entered.

    Send `multipart/form-data` with one `files` part per file (at most 5 at once, 10 per
    report). Images are stored without their metadata; a file the report already holds is
    not stored again.
    """
    report = _staff_report(request, code)
    raw = _uploaded(request)
    if raw is None:
        return error_response(400, "malformed", _("The request body is not valid multipart data."))
    if not raw:
        return _invalid(_("This field is required."))
    try:
        files = clean_uploads(raw)
    except ValidationError as exc:
        return error_response(
            422,
            "invalid",
            _("Some fields are not valid."),
            fields=[{"field": "files", "message": m} for m in exc.messages],
        )
    try:
        report_files_add(report=report, files=files, by=request.auth.user)
    except ApplicationError as exc:
        if exc.code != "too_many_files":
            raise
        return _invalid(exc.message)
    attachments = list(Attachment.objects.filter(report=report))
    return Status(201, {"tracking_code": report.tracking_code, "attachments": attachments})


# Files are far larger than a JSON body: the API's body limit (common.api.body_limit) is to
# take this attribute of the operation's view instead of API_MAX_BODY_BYTES.
report_files_upload.max_body_bytes = MAX_TOTAL_BYTES + 1024 * 1024


@router.get(
    "/cases/{case_id}/attachments/{attachment_id}",
    response={200: None} | AUTH_ERRORS,
    openapi_extra={
        "responses": {
            # ninja keys responses by int; a "200" string would be a second, duplicate key.
            200: {
                "description": "The file, as stored (images without metadata).",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def attachment_read(request, case_id: int, attachment_id: int):
    """Return one file of a case of the token's units."""
    case = scoped_case(request, case_id)
    attachment = get_scoped_or_404(Attachment.objects.filter(report__case=case), pk=attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.name,
    )
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
