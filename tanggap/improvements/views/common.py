"""Helpers shared by the staff and public screens: unit checks, refusals, file streaming."""

from django.http import FileResponse, Http404

from tanggap.accounts.scoping import units_for
from tanggap.common.exceptions import ApplicationError


def units_or_404(user, capability: str):
    """Return the units where *user* holds *capability*; none is a 404 (nothing to show)."""
    units = units_for(user, capability)
    if not units.exists():
        raise Http404
    return units


def has_units(user, capability: str) -> bool:
    """Return whether *user* holds *capability* anywhere."""
    return units_for(user, capability).exists()


def refuse(form, exc: ApplicationError) -> None:
    """Put a service's refusal on *form*: on its field when the service named one."""
    field = exc.extra.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


def stream(evidence) -> FileResponse:
    """Stream a stored evidence file with a policy that lets it run nothing."""
    inline = evidence.is_image or evidence.content_type == "application/pdf"
    response = FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        as_attachment=not inline,
        filename=evidence.name,
    )
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
