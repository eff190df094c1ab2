"""The reply letter: a PDF with letterhead, number, date in Indonesian and the signer."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pypdf import PdfReader

from tanggap.responses.letter import letter_pdf
from tanggap.responses.models import ReplySettings
from tanggap.responses.services import reply_draft_save, reply_submit
from tanggap.responses.tests.factories import ReplySettingsFactory, report_in_progress

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def published(unit, officer):
    report = report_in_progress(unit, officer)
    reply = reply_draft_save(
        case=report.case,
        by=officer,
        body="Petugas loket SKCK sudah kami tambah.\n\nJam buka kini pukul 08.00.",
        is_final=True,
    )
    return report, reply_submit(reply=reply, by=officer)


def test_the_letter_carries_number_unit_date_recipient_and_signer(spkt, officer):
    # given a unit with a letterhead and a signer, and a reply published on 17 August 2026
    ReplySettingsFactory(unit=spkt, number_format="B/{seq}/{unit}/{roman_month}/{year}")
    with time_machine.travel(datetime(2026, 8, 17, 10, 0, tzinfo=WIB), tick=False):
        report, reply = published(spkt, officer)

    # when the letter is rendered for the reporter
    text = text_of(letter_pdf(reply, recipient_code=report.tracking_code))

    # then it shows the number, the unit, the date in Indonesian, the code and the signer
    assert reply.letter_number == "B/001/SPKT/VIII/2026"
    assert reply.letter_number in text
    assert "SPKT POLRES CONTOH" in text.upper()
    assert "KEPOLISIAN RESOR CONTOH" in text
    assert "17 Agustus 2026" in text
    assert report.tracking_code in text
    assert "AKP Made Wirawan" in text and "198001012005011001" in text
    assert "Jam buka kini pukul 08.00." in text
    assert "Budi" not in text


def test_a_letter_once_sent_keeps_its_letterhead(spkt, officer):
    ReplySettingsFactory(unit=spkt, signer_name="Pejabat Lama")
    report, reply = published(spkt, officer)

    ReplySettings.objects.filter(unit=spkt).update(signer_name="Pejabat Baru")
    text = text_of(letter_pdf(reply, recipient_code=report.tracking_code))

    assert "Pejabat Lama" in text and "Pejabat Baru" not in text


def test_without_settings_the_letter_uses_the_units_own_details(dpmptsp, other_officer):
    report, reply = published(dpmptsp, other_officer)

    text = text_of(letter_pdf(reply, recipient_code=report.tracking_code))

    assert reply.letter_number == f"001/{dpmptsp.slug.upper()}/{reply.letter_year}"
    assert reply.letter_number in text
    assert "DPMPTSP KOTA CONTOH" in text.upper()
    assert dpmptsp.organisation.name.upper() in text.upper()
