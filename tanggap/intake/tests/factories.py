"""Build reports through the real service, so tests see what citizens produce."""

import io

from PIL import Image

from tanggap.cases.choices import Channel, ReportKind
from tanggap.intake.services import ReportInput, report_submit
from tanggap.intake.uploads import clean_upload


def submit_report(unit, **overrides):
    """Submit a report to *unit* and return the Submission (report, pin, link token)."""
    fields = {
        "unit": unit,
        "kind": ReportKind.COMPLAINT,
        "channel": Channel.WEB,
        "title": "Antrian SKCK sangat lama",
        "description": "Sdh antri dr jam 8 pagi tp loket blm buka, petugas tdk ada di tempat.",
        "name": "Budi Santoso",
        "email": "budi@example.com",
        "phone": "0812-0000-1234",
    }
    fields.update(overrides)
    return report_submit(ReportInput(**fields))


def jpeg_bytes(*, size=(64, 48), gps=False) -> bytes:
    """Return a small JPEG, optionally carrying an EXIF GPS position."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "S", 2: (7.0, 15.0, 0.0), 3: "E", 4: (112.0, 45.0, 0.0)}
        exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def clean_jpeg(name="foto.jpg", **kwargs):
    return clean_upload(name, jpeg_bytes(**kwargs))
