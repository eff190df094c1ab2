"""Our Message-IDs trace back to their notification; tracking codes are found in subjects."""

from tanggap.intake.tracking import new_tracking_code
from tanggap.integrations.email_ingest.threads import (
    notification_of,
    outgoing_message_id,
    tracking_codes_in,
)


def test_our_message_id_names_its_notification_and_cannot_be_forged():
    ours = outgoing_message_id(42, "spkt.contoh.go.id")
    assert notification_of(ours) == 42
    assert outgoing_message_id(42, "spkt.contoh.go.id") == ours
    forged = ours.replace("tanggap.n42.", "tanggap.n43.")
    assert notification_of(forged) is None
    assert notification_of("CAF8u2q@mail.example.org") is None


def test_codes_are_found_in_a_subject_however_written():
    code = new_tracking_code()
    sloppy = code.lower().replace("-", " ")
    assert tracking_codes_in(f"Re: Laporan Anda {sloppy} telah diterima") == [code]
    mistyped = code[:-1] + ("1" if code[-1] != "1" else "2")
    assert tracking_codes_in(f"Re: [{mistyped}] salah") == []
