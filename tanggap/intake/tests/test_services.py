"""report_submit, report_add_information and identity_reveal: the intake write path."""

import uuid

import pytest

from tanggap.cases.choices import CaseStatus, EventKind, Step
from tanggap.common.exceptions import ApplicationError
from tanggap.intake.models import IdentityAccess, Report, Reporter
from tanggap.intake.services import (
    contact_digest,
    identity_reveal,
    normalize_phone,
    report_add_information,
)
from tanggap.intake.tests.factories import clean_jpeg, submit_report

pytestmark = pytest.mark.django_db


def test_submit_opens_a_received_case_with_a_verification_deadline(dpmptsp):
    submission = submit_report(dpmptsp)

    case = submission.report.case
    assert submission.created and len(submission.pin) == 6
    assert case.status == CaseStatus.RECEIVED
    assert case.due_step == Step.VERIFICATION
    assert case.due_at > case.received_at
    assert list(case.events.values_list("kind", flat=True)) == [EventKind.RECEIVED]


def test_contact_details_are_encrypted_at_rest(dpmptsp):
    report = submit_report(dpmptsp).report

    stored = Reporter.objects.get(report=report)
    for plain, sealed in [
        ("Budi Santoso", stored.name_enc),
        ("budi@example.com", stored.email_enc),
        ("0812-0000-1234", stored.phone_enc),
    ]:
        assert sealed and plain not in sealed


def test_anonymous_report_keeps_no_name(dpmptsp):
    report = submit_report(dpmptsp, is_anonymous=True).report

    assert Reporter.objects.get(report=report).name_enc == ""


def test_the_same_submission_key_gives_the_same_single_report(dpmptsp):
    key = uuid.uuid4()

    first = submit_report(dpmptsp, submission_key=key)
    second = submit_report(dpmptsp, submission_key=key)

    assert first.created and not second.created
    assert second.report.pk == first.report.pk
    assert Report.objects.count() == 1


def test_the_same_external_reference_gives_the_same_single_report(dpmptsp):
    first = submit_report(dpmptsp, external_source="lapor", external_ref="LAPOR-123")
    again = submit_report(dpmptsp, external_source="lapor", external_ref="LAPOR-123")
    other_source = submit_report(dpmptsp, external_source="email", external_ref="LAPOR-123")

    assert first.created and not again.created and other_source.created
    assert again.report.pk == first.report.pk
    assert Report.objects.count() == 2


@pytest.mark.parametrize("written", ["0812-0000-1234", "+62 812 0000 1234", "62812.0000.1234"])
def test_a_phone_written_any_indonesian_way_finds_the_same_reporter(dpmptsp, written):
    report = submit_report(dpmptsp).report  # the factory's phone is 0812-0000-1234

    assert normalize_phone(written) == "6281200001234"
    assert Reporter.objects.get(report=report).phone_digest == contact_digest("phone", written)
    assert contact_digest("phone", "") == ""


def test_service_of_another_unit_is_refused_and_nothing_is_saved(spkt, dpmptsp):
    foreign_service = spkt.services.first()

    with pytest.raises(ApplicationError):
        submit_report(dpmptsp, service=foreign_service)

    assert Report.objects.count() == 0


def test_pin_and_link_are_stored_only_as_digests(dpmptsp):
    submission = submit_report(dpmptsp)

    report = Report.objects.get(pk=submission.report.pk)
    assert submission.pin not in report.pin_digest
    assert submission.link_token not in report.link_digest


def test_attachments_are_saved_without_metadata(dpmptsp):
    report = submit_report(dpmptsp, files=[clean_jpeg(gps=True)]).report

    attachment = report.attachments.get()
    data = attachment.file.read()
    assert attachment.content_type == "image/jpeg"
    assert b"PhoneMaker" not in data and b"Exif" not in data


def test_added_information_joins_the_public_timeline(dpmptsp):
    report = submit_report(dpmptsp).report

    report_add_information(report=report, message="Foto tambahan antrian.", files=[clean_jpeg()])

    event = report.case.events.get(kind=EventKind.INFORMATION_ADDED)
    assert event.is_public and event.message == "Foto tambahan antrian."
    assert report.attachments.filter(added_later=True).count() == 1


def test_empty_additional_information_is_refused(dpmptsp):
    report = submit_report(dpmptsp).report

    with pytest.raises(ApplicationError):
        report_add_information(report=report, message="  ", files=[])


def test_identity_opening_needs_a_reason_and_is_logged(officer, spkt):
    report = submit_report(spkt).report

    with pytest.raises(ApplicationError):
        identity_reveal(user=officer, report=report, reason="cek")
    identity = identity_reveal(user=officer, report=report, reason="Perlu klarifikasi via telepon")

    assert identity.name == "Budi Santoso"
    access = IdentityAccess.objects.get()
    assert (access.user, access.report) == (officer, report)


def test_anonymous_report_has_no_identity_to_open(officer, spkt):
    report = submit_report(spkt, is_anonymous=True).report

    with pytest.raises(ApplicationError):
        identity_reveal(user=officer, report=report, reason="Perlu klarifikasi via telepon")
    assert not IdentityAccess.objects.exists()


def test_auditor_cannot_open_identities(auditor, spkt):
    report = submit_report(spkt).report

    with pytest.raises(ApplicationError):
        identity_reveal(user=auditor, report=report, reason="Pemeriksaan rutin inspektorat")


def test_the_reporters_words_are_searchable_in_the_inbox(officer, spkt):
    from tanggap.cases.selectors import case_list

    report = submit_report(spkt, title="Antrian", description="Loket tutup lebih awal.").report
    report_add_information(report=report, message="Petugas bernama Joko menolak berkas.", files=[])

    found = case_list(user=officer, filters={"q": "joko"}).items

    assert [c.pk for c in found] == [report.case.pk]
