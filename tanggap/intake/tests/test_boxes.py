"""Suggestion boxes (kotak saran): witnessed openings, slips entered with photos, public numbers."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UserFactory
from tanggap.cases.choices import Channel, ReportKind
from tanggap.common.exceptions import ApplicationError
from tanggap.intake.boxes import (
    SlipInput,
    box_opening_close,
    box_opening_record,
    box_slip_enter,
)
from tanggap.intake.models import BoxSlip, Report, SuggestionBox
from tanggap.intake.tests.factories import clean_jpeg, jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def box(spkt):
    return SuggestionBox.objects.create(
        unit=spkt, name="Kotak saran lobi SPKT", location="Lobi SPKT", code="spkt-lobi"
    )


@pytest.fixture
def witnesses(spkt):
    people = []
    for username in ("saksi1", "saksi2"):
        user = UserFactory(username=username)
        MembershipFactory(user=user, unit=spkt, role=Role.OFFICER)
        people.append(user)
    return people


@pytest.fixture
def opening(box, officer, witnesses):
    return box_opening_record(
        box=box,
        opened_by=officer,
        witnesses=witnesses,
        opened_at=timezone.now() - timedelta(minutes=30),
        slips_found=2,
        skm_forms_found=3,
    )


def slip(**overrides):
    fields = {
        "kind": ReportKind.COMPLAINT,
        "title": "Petugas SKCK tidak ramah",
        "description": "Petugas loket SKCK membentak warga yang bertanya soal syarat.",
        "photo": clean_jpeg(),
    }
    return SlipInput(**(fields | overrides))


def test_an_opening_needs_two_witnesses_besides_the_officer(box, officer, witnesses):
    with pytest.raises(ApplicationError) as refused:
        box_opening_record(
            box=box,
            opened_by=officer,
            witnesses=[witnesses[0], officer],  # the officer cannot witness their own opening
            opened_at=timezone.now(),
            slips_found=1,
        )

    assert refused.value.code == "witnesses"
    assert not box.openings.exists()


def test_a_witness_from_another_unit_is_refused(box, officer, witnesses, other_officer):
    with pytest.raises(ApplicationError) as refused:
        box_opening_record(
            box=box,
            opened_by=officer,
            witnesses=[witnesses[0], other_officer],
            opened_at=timezone.now(),
            slips_found=1,
        )

    assert refused.value.code == "witness_unit"


def test_openings_go_forward_in_time(box, officer, witnesses, opening):
    with pytest.raises(ApplicationError) as refused:
        box_opening_record(
            box=box,
            opened_by=officer,
            witnesses=witnesses,
            opened_at=opening.opened_at - timedelta(days=1),
            slips_found=0,
        )

    assert refused.value.code == "order"
    assert list(opening.witnesses.all()) == witnesses


def test_a_slip_becomes_a_suggestion_box_report_with_its_photo(opening, officer):
    entered = box_slip_enter(opening=opening, entered_by=officer, slip=slip())

    report = entered.report
    assert report.channel == Channel.SUGGESTION_BOX
    assert report.received_by == officer
    assert report.is_anonymous  # no name was written on the slip
    assert report.attachments.count() == 1
    assert report.attachments.get().content_type == "image/jpeg"
    assert entered.receipt_number.startswith("SPKT-LOBI-")
    assert report.case.unit == opening.box.unit


def test_the_same_receipt_number_entered_twice_is_one_slip(opening, officer):
    first = box_slip_enter(opening=opening, entered_by=officer, slip=slip(receipt_number="ks-0042"))
    again = box_slip_enter(opening=opening, entered_by=officer, slip=slip(receipt_number="KS-0042"))

    assert again.pk == first.pk and first.receipt_number == "KS-0042"
    assert Report.objects.count() == 1


def test_a_receipt_number_of_an_earlier_opening_is_refused(box, opening, officer, witnesses, spkt):
    box_slip_enter(opening=opening, entered_by=officer, slip=slip(receipt_number="KS-7"))
    later = box_opening_record(
        box=box, opened_by=officer, witnesses=witnesses, opened_at=timezone.now(), slips_found=1
    )

    with pytest.raises(ApplicationError) as refused:
        box_slip_enter(opening=later, entered_by=officer, slip=slip(receipt_number="KS-7"))

    assert refused.value.code == "receipt_taken"
    assert Report.objects.count() == 1


def test_finishing_with_missing_slips_needs_a_reason(opening, officer):
    box_slip_enter(opening=opening, entered_by=officer, slip=slip())

    with pytest.raises(ApplicationError) as refused:
        box_opening_close(opening=opening, by=officer, note="")
    assert refused.value.code == "missing_slips"

    closed = box_opening_close(opening=opening, by=officer, note="Satu lembar kosong, tanpa isi.")
    assert closed.closed_at is not None
    with pytest.raises(ApplicationError):
        box_slip_enter(opening=closed, entered_by=officer, slip=slip())


def test_an_officer_of_another_unit_cannot_open_or_enter(box, other_officer, witnesses, opening):
    with pytest.raises(ApplicationError):
        box_opening_record(
            box=box,
            opened_by=other_officer,
            witnesses=witnesses,
            opened_at=timezone.now(),
            slips_found=0,
        )
    with pytest.raises(ApplicationError):
        box_slip_enter(opening=opening, entered_by=other_officer, slip=slip())


def test_the_entry_screen_refuses_a_pdf_as_the_slip_photo_and_keeps_nothing(
    client, officer, opening
):
    client.force_login(officer)
    url = reverse("officer:box_opening", args=[opening.pk])

    response = client.post(
        url,
        {
            "kind": ReportKind.SUGGESTION,
            "title": "Tambah kursi tunggu",
            "description": "Mohon ditambah kursi di ruang tunggu SPKT.",
            "photo": SimpleUploadedFile("slip.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
    )

    assert response.status_code == 400
    assert not BoxSlip.objects.exists() and not Report.objects.exists()


def test_the_entry_screen_enters_a_slip(client, officer, opening):
    client.force_login(officer)
    url = reverse("officer:box_opening", args=[opening.pk])

    response = client.post(
        url,
        {
            "kind": ReportKind.SUGGESTION,
            "title": "Tambah kursi tunggu",
            "description": "Mohon ditambah kursi di ruang tunggu SPKT.",
            "receipt_number": "KS-0101",
            "photo": SimpleUploadedFile("slip.jpg", jpeg_bytes(), content_type="image/jpeg"),
        },
    )

    assert response.status_code == 302
    assert BoxSlip.objects.get().receipt_number == "KS-0101"


def test_another_units_opening_is_404(client, other_officer, opening):
    client.force_login(other_officer)

    assert client.get(reverse("officer:box_opening", args=[opening.pk])).status_code == 404


def test_the_public_page_posts_numbers_and_status_but_no_slip_text(client, opening, officer):
    box_slip_enter(opening=opening, entered_by=officer, slip=slip(receipt_number="KS-1"))
    box_slip_enter(
        opening=opening,
        entered_by=officer,
        slip=slip(
            receipt_number="KS-2",
            title="Pungli di loket",
            description="Ada pungutan liar di loket SKCK, saya Bambang 0812 1111 2222.",
            is_confidential=True,
            name="Bambang",
            phone="0812 1111 2222",
        ),
    )
    url = reverse("intake:box_public", args=[opening.box.code])

    page = client.get(url).content.decode()
    found = client.get(url, {"number": "ks-2"}).content.decode()
    missing = client.get(url, {"number": "KS-999"})

    assert "KS-1" in page and "KS-2" in page
    for secret in ("Pungli", "Bambang", "0812", "SKCK membentak"):
        assert secret not in page and secret not in found
    for report in Report.objects.all():
        assert report.tracking_code not in page
    assert found.count("KS-2") >= 1
    assert missing.status_code == 200
