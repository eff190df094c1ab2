"""Check a mail's attachments like the form's uploads, keeping the good and listing the bad."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tanggap.intake.uploads import MAX_FILES, MAX_TOTAL_BYTES, CleanFile, clean_upload

MAX_LISTED_NAME = 100


def attachments_clean(
    files: list[tuple[str, bytes]], *, room: int = MAX_FILES
) -> tuple[list[CleanFile], list[dict]]:
    """Return the attachments that pass the upload checks and, for the rest, name and reason.

    At most *room* files (and MAX_FILES) are kept, MAX_TOTAL_BYTES together: one bad file costs
    the citizen that file, never the report.
    """
    kept, skipped, total = [], [], 0
    for name, data in files:
        listed = name[:MAX_LISTED_NAME]
        if len(kept) >= min(room, MAX_FILES):
            skipped.append({"name": listed, "reason": _("too many files")})
            continue
        if total + len(data) > MAX_TOTAL_BYTES:
            skipped.append({"name": listed, "reason": _("the files together are too large")})
            continue
        try:
            clean = clean_upload(name, data)
        except ValidationError as error:
            skipped.append({"name": listed, "reason": " ".join(error.messages)})
            continue
        kept.append(clean)
        total += len(data)
    return kept, skipped
