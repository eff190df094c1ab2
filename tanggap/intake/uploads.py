"""Check and sanitise the photos and PDFs citizens attach to complaints.

Nothing here touches the database: the functions take a file name and its
bytes and return a ``CleanFile`` or raise a ``ValidationError``.
"""

import contextlib
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

ALLOWED_KINDS = {"image/jpeg", "image/png", "image/webp", "application/pdf"}

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 40_000_000  # decompression-bomb guard
MAX_PDF_PAGES = 50

MAX_NAME_LENGTH = 100
JPEG_QUALITY = 85

_MB = 1024 * 1024

# content type -> (Pillow format, file extension)
_KINDS = {
    "image/jpeg": ("JPEG", ".jpg"),
    "image/png": ("PNG", ".png"),
    "image/webp": ("WEBP", ".webp"),
    "application/pdf": (None, ".pdf"),
}

# Beyond the usual /JS, /JavaScript, /Launch and /EmbeddedFile, RichMedia
# (Flash) and XFA forms can also carry scripts.
_ACTIVE_PDF_NAMES = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/RichMedia",
        "/XFA",
    }
)
# Bounds the object-graph walk so a crafted PDF cannot keep us busy forever.
_MAX_PDF_OBJECTS = 200_000

_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_UNSAFE_CHARS = re.compile(r'[<>:"|?*]')


@dataclass(frozen=True)
class CleanFile:
    """An attachment that passed every check, ready to store."""

    name: str
    content_type: str
    data: bytes
    sha256: str
    size: int


def clean_upload(name: str, data: bytes) -> CleanFile:
    """Check one attachment and strip what could harm staff or expose the citizen."""
    display = _display_name(name)
    if not data:
        raise ValidationError(
            _("“%(name)s” is empty."), code="empty_file", params={"name": display}
        )
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s MB."),
            code="file_size",
            params={"name": display, "limit": MAX_FILE_BYTES // _MB},
        )
    kind = _detect_kind(data)
    if kind is None:
        raise ValidationError(
            _("“%(name)s” is not a photo (JPEG, PNG, WebP) or a PDF."),
            code="file_type",
            params={"name": display},
        )
    fmt, extension = _KINDS[kind]
    if fmt is None:
        _check_pdf(display, data)
    else:
        data = _clean_image(display, data, fmt)
    return CleanFile(
        name=_safe_name(name, extension),
        content_type=kind,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )


def clean_uploads(files: list[tuple[str, bytes]]) -> list[CleanFile]:
    """Clean a complaint's attachments, reporting every bad file in one error."""
    if len(files) > MAX_FILES:
        raise ValidationError(
            _("At most %(limit)s files can be attached."),
            code="too_many_files",
            params={"limit": MAX_FILES},
        )
    # Checked on the raw sizes so an oversized batch is refused before any decoding.
    if sum(len(data) for _name, data in files) > MAX_TOTAL_BYTES:
        raise ValidationError(
            _("The attachments together are larger than %(limit)s MB."),
            code="total_size",
            params={"limit": MAX_TOTAL_BYTES // _MB},
        )
    cleaned, errors = [], []
    for name, data in files:
        try:
            cleaned.append(clean_upload(name, data))
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _detect_kind(data: bytes) -> str | None:
    """Return the content type given by the magic bytes, or None if not allowed."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def _display_name(name: str) -> str:
    """Return the base name without control characters, short enough to show."""
    base = re.split(r"[/\\]", name)[-1]
    # Category C includes bidi overrides, which can make "x\u202egpj.exe" look like "xexe.jpg".
    base = "".join(c for c in base if not unicodedata.category(c).startswith("C"))
    return unicodedata.normalize("NFC", base).strip()[:MAX_NAME_LENGTH]


def _safe_name(name: str, extension: str) -> str:
    """Return a storable file name whose extension matches the detected kind."""
    stem = _EXTENSION.sub("", _display_name(name))
    stem = _UNSAFE_CHARS.sub("_", stem).strip(" .") or "attachment"
    return stem[: MAX_NAME_LENGTH - len(extension)].rstrip(" .") + extension


def _open_image(data: bytes, fmt: str) -> Image.Image:
    """Open an image header, refusing it before decoding if it has too many pixels."""
    image = Image.open(io.BytesIO(data), formats=[fmt])
    if image.width * image.height > MAX_PIXELS:
        image.close()
        raise Image.DecompressionBombError
    return image


def _is_complete(data: bytes, fmt: str) -> bool:
    """Return whether the file reaches its format's end marker.

    Pillow's truncation check is a process-wide switch that WeasyPrint turns off on import,
    so completeness is checked here from the bytes themselves.
    """
    if fmt == "JPEG":
        return b"\xff\xd9" in data[-1024:]
    if fmt == "PNG":
        return b"IEND" in data[-64:]
    if fmt == "WEBP":
        return int.from_bytes(data[4:8], "little") + 8 <= len(data)
    return True


def _clean_image(display: str, data: bytes, fmt: str) -> bytes:
    """Decode the image fully and re-encode it so no metadata or hidden payload survives."""
    try:
        if not _is_complete(data, fmt):
            raise ValueError("truncated")
        with _open_image(data, fmt) as image:
            image.verify()
        with _open_image(data, fmt) as image:
            image.load()  # animated images: only the first frame is decoded and kept
            # Unreadable EXIF should not cost the citizen the photo.
            with contextlib.suppress(Exception):
                ImageOps.exif_transpose(image, in_place=True)
            return _encode(image, fmt)
    # Pillow raises the warning as well when warning filters turn it into an error.
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("“%(name)s” is too large an image (more than %(limit)s megapixels)."),
            code="image_too_large",
            params={"name": display, "limit": MAX_PIXELS // 1_000_000},
        ) from None
    # Decoders fail on hostile input with many exception types; all mean "broken".
    except Exception:
        raise ValidationError(
            _("“%(name)s” is damaged or not a complete image."),
            code="image_broken",
            params={"name": display},
        ) from None


def _encode(image: Image.Image, fmt: str) -> bytes:
    """Save only the pixels: JPEG stays JPEG, PNG stays PNG, WebP stays WebP."""
    options = {}
    if fmt == "JPEG":
        mode = "L" if image.mode in ("1", "L") else "RGB"
        options["quality"] = JPEG_QUALITY
    elif fmt == "WEBP":
        mode = "RGBA" if image.has_transparency_data else "RGB"
        options["quality"] = JPEG_QUALITY
    elif image.mode in ("1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"):
        mode = image.mode
        # Transparency is pixel data, not metadata: keep it.
        if "transparency" in image.info:
            options["transparency"] = image.info["transparency"]
    else:
        mode = "RGBA"
    if image.mode != mode:
        image = image.convert(mode)
    # The savers fall back to image.info for ICC profiles, comments and more.
    image.info = {}
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


_PDF_MESSAGES = {
    "pdf_encrypted": _(
        "“%(name)s” is protected with a password. Please attach a copy without a password."
    ),
    "pdf_broken": _("“%(name)s” is damaged or could not be read as a PDF."),
    "pdf_too_many_pages": _("“%(name)s” has more than %(limit)s pages."),
    "pdf_active_content": _(
        "“%(name)s” contains scripts or embedded files, which are not allowed. "
        "Please attach a plain PDF."
    ),
}


def _check_pdf(display: str, data: bytes) -> None:
    """Refuse a PDF that is encrypted, too long, unreadable or can run code."""
    code = _pdf_problem(data)
    if code is not None:
        raise ValidationError(
            _PDF_MESSAGES[code],
            code=code,
            params={"name": display, "limit": MAX_PDF_PAGES},
        )


def _pdf_problem(data: bytes) -> str | None:
    """Return the error code for what is wrong with the PDF, or None if it is fine."""
    # pypdf fails on hostile input with many exception types; all mean "broken".
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return "pdf_encrypted"
        pages = len(reader.pages)
        if pages == 0:
            return "pdf_broken"
        if pages > MAX_PDF_PAGES:
            return "pdf_too_many_pages"
        if _has_active_content(reader.trailer["/Root"]):
            return "pdf_active_content"
    except Exception:
        return "pdf_broken"
    return None


def _has_active_content(root: object) -> bool:
    """Walk every object reachable from the catalog looking for script or launch names."""
    seen = set()
    stack = [root]
    for _step in range(_MAX_PDF_OBJECTS):
        if not stack:
            return False
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            children = [*node.keys(), *node.values()]
        elif isinstance(node, ArrayObject):
            children = list(node)
        else:
            continue
        for child in children:
            if isinstance(child, NameObject):
                if child in _ACTIVE_PDF_NAMES:
                    return True
            elif isinstance(child, IndirectObject | DictionaryObject | ArrayObject):
                stack.append(child)
    raise ValueError("PDF has too many objects to check")
