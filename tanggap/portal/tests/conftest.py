"""Fixtures of the portal: reports carrying synthetic identifiers, published and confidential."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from tanggap.intake.tests.factories import submit_report
from tanggap.portal.preview import masked, source_texts
from tanggap.portal.services import PublicationInput, publication_publish
from tanggap.responses.services.replies import reply_draft_save, reply_publish

# Synthetic identifiers: none belongs to anyone. Each is listed in the forms a page could show.
NIK = "3578 0145 0390 0001"
PHONE = "+62 812-3456-7890"
EMAIL = "warga.pelapor@example.com"
NAME = "SITI AMINAH"
STREET = "Jl. Melati No. 12"
RT_RW = "RT 03/RW 05"
PLATE = "L 1234 AB"
REPLY_NAME = "Agus Wijaya"
# The sealed contact given with the reports.
CONTACT = {"name": "Rahmat Hidayat", "email": "rahmat.h@example.org", "phone": "0813-1111-2222"}
IDENTIFIERS = [
    NIK,
    "3578014503900001",
    PHONE,
    "81234567890",
    EMAIL,
    NAME,
    "Siti Aminah",
    STREET,
    RT_RW,
    PLATE,
    REPLY_NAME,
    *CONTACT.values(),
    "081311112222",
]
DESCRIPTION = (
    f"Nama saya {NAME}, NIK {NIK}, HP {PHONE}, email {EMAIL}. Rumah saya di {STREET} "
    f"{RT_RW}. Mobil {PLATE} parkir di trotoar setiap hari dan menutup jalan, mohon ditertibkan."
)
CONFIDENTIAL_TITLE = "Pungutan liar oleh oknum petugas Kenariwangi"
CONFIDENTIAL_TEXT = "Oknum petugas meminta uang Kenariwangi tambahan di loket tanpa kuitansi resmi."


def _report(unit, **overrides):
    fields = {
        "title": "Mobil parkir di trotoar",
        "description": DESCRIPTION,
        "latitude": Decimal("-7.257472"),
        "longitude": Decimal("112.752088"),
        **CONTACT,
    }
    return submit_report(unit, **{**fields, **overrides}).report


def publish_case(case, officer, **changes):
    """Publish *case* with the masked texts the preview proposes."""
    texts = masked(source_texts(case), [])
    return publication_publish(case=case, by=officer, data=PublicationInput(**{**texts, **changes}))


@pytest.fixture
def pii_report(spkt):
    """A report full of synthetic identifiers, located."""
    return _report(spkt)


@pytest.fixture
def published(spkt, officer):
    """A published case (masked) with a published final reply naming a person."""
    report = _report(spkt)
    reply = reply_draft_save(
        case=report.case,
        by=officer,
        body=f"Terima kasih. Kendaraan milik Bapak {REPLY_NAME} sudah ditegur petugas.",
        is_final=True,
    )
    reply_publish(reply=reply, by=officer)
    report.case.refresh_from_db()
    return publish_case(report.case, officer)


@pytest.fixture
def confidential(spkt, officer):
    """A confidential report that an officer tried, and failed, to publish."""
    report = _report(
        spkt, title=CONFIDENTIAL_TITLE, description=CONFIDENTIAL_TEXT, is_confidential=True
    )
    from tanggap.common.exceptions import ApplicationError  # noqa: PLC0415

    with pytest.raises(ApplicationError):
        publish_case(report.case, officer, confirmed=True)
    return report


@pytest.fixture
def portal_world(published, confidential, pii_report, spkt, officer):
    """Everything the sweep needs: what is public, and what must never be."""
    return SimpleNamespace(
        published=published,
        confidential=confidential,
        unpublished=pii_report,
        secrets=[
            confidential.case.reference,
            confidential.tracking_code,
            CONFIDENTIAL_TITLE,
            CONFIDENTIAL_TEXT,
            "Kenariwangi",
        ],
        identifiers=IDENTIFIERS,
    )
