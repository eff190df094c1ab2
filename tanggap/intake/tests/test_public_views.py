"""The public report form, receipt and tracking pages, including bad input."""

import io
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from tanggap.accounts.tests.factories import CounterFactory
from tanggap.cases.models import Case
from tanggap.intake.models import Attachment, Report
from tanggap.intake.tests.factories import jpeg_bytes, submit_report

pytestmark = pytest.mark.django_db


def form_data(target, **overrides):
    data = {
        "kind": "complaint",
        "unit": target.pk,
        "title": "Loket PBG tutup jam 11",
        "description": "Sy dtg jam 11 siang tp loket PBG sdh tutup, pdhl jadwal sampai jam 3.",
        "identity": "identified",
        "name": "Siti Aminah",
        "email": "siti@example.com",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_a_valid_report_redirects_to_a_receipt_with_code_and_pin(client, dpmptsp):
    response = client.post(reverse("intake:report"), form_data(dpmptsp))

    assert response.status_code == 302
    receipt = client.get(response["Location"])
    report = Report.objects.get()
    assert report.tracking_code in receipt.content.decode()
    assert receipt.context["pin"] and len(receipt.context["pin"]) == 6
    again = client.get(response["Location"])
    assert again.context["pin"] is None, "the PIN is shown only once"


def test_receipt_pdf_is_a_pdf(client, dpmptsp):
    response = client.post(reverse("intake:report"), form_data(dpmptsp))
    client.get(response["Location"])
    code = Report.objects.get().tracking_code

    pdf = client.get(reverse("intake:receipt_pdf", args=[code]))

    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert code in text and "Tanda terima" in text
    assert "verifikasi dan penerusan paling lambat" in text


def test_receipt_of_someone_elses_report_is_not_found(client, dpmptsp):
    code = submit_report(dpmptsp).report.tracking_code

    assert client.get(reverse("intake:receipt", args=[code])).status_code == 404
    assert client.get(reverse("intake:receipt_pdf", args=[code])).status_code == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("description", ""),
        ("title", "x" * 201),
        ("description", "y" * 5001),
        ("kind", "spam"),
        ("email", "not-an-email"),
        ("phone", "call me"),
        ("latitude", "-6.2"),
        ("occurred_at", "2999-01-01T10:00"),
    ],
)
def test_bad_fields_get_a_clear_error_and_save_nothing(client, dpmptsp, field, value):
    response = client.post(reverse("intake:report"), form_data(dpmptsp, **{field: value}))

    assert response.status_code == 400
    assert response.context["form"].errors
    assert "error-summary" in response.content.decode()
    assert Report.objects.count() == Case.objects.count() == 0


def test_identified_report_needs_a_name_and_anonymous_one_does_not(client, dpmptsp):
    missing = client.post(reverse("intake:report"), form_data(dpmptsp, name=""))
    anonymous = client.post(
        reverse("intake:report"), form_data(dpmptsp, name="", identity="anonymous")
    )

    assert missing.status_code == 400 and "name" in missing.context["form"].errors
    assert anonymous.status_code == 302


def test_errors_are_in_indonesian_by_default(client, dpmptsp):
    response = client.post(reverse("intake:report"), form_data(dpmptsp, title=""))

    assert "Bidang ini tidak boleh kosong" in response.content.decode()


def test_an_executable_named_jpg_is_refused_and_nothing_is_saved(client, dpmptsp):
    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00" + b"\x00" * 200, "image/jpeg")

    response = client.post(reverse("intake:report"), form_data(dpmptsp, files=[fake]))

    assert response.status_code == 400
    assert "files" in response.context["form"].errors
    assert Report.objects.count() == Attachment.objects.count() == 0


def test_too_many_files_are_refused(client, dpmptsp):
    files = [SimpleUploadedFile(f"f{n}.jpg", jpeg_bytes(), "image/jpeg") for n in range(6)]

    response = client.post(reverse("intake:report"), form_data(dpmptsp, files=files))

    assert response.status_code == 400 and Report.objects.count() == 0


def test_a_photo_is_stored_without_its_gps_position(client, dpmptsp):
    photo = SimpleUploadedFile("antrian.jpg", jpeg_bytes(gps=True), "image/jpeg")

    response = client.post(reverse("intake:report"), form_data(dpmptsp, files=[photo]))

    assert response.status_code == 302
    stored = Attachment.objects.get().file.read()
    assert not Image.open(io.BytesIO(stored)).getexif()


def test_a_form_sent_twice_makes_one_report(client, dpmptsp):
    data = form_data(dpmptsp)

    first = client.post(reverse("intake:report"), data)
    second = client.post(reverse("intake:report"), data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Report.objects.count() == 1


def test_a_counter_qr_link_fixes_the_unit_and_records_the_counter(client, dpmptsp, spkt):
    counter = CounterFactory(unit=dpmptsp, code="loket-disabilitas")
    url = reverse("intake:report_counter", args=[counter.code])

    page = client.get(url)
    refused = client.post(url, form_data(dpmptsp, unit=spkt.pk))
    accepted = client.post(url, form_data(dpmptsp))

    assert dpmptsp.name in page.content.decode()
    assert refused.status_code == 400
    assert accepted.status_code == 302
    assert Report.objects.get().counter == counter


def test_qr_code_is_an_svg_of_the_link(client, dpmptsp):
    response = client.get(reverse("intake:qr", args=["unit", dpmptsp.slug]))

    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_tracking_with_code_and_pin_shows_status_and_timeline(client, dpmptsp):
    submission = submit_report(dpmptsp)
    code = submission.report.tracking_code

    response = client.post(
        reverse("intake:track"), {"code": code, "pin": submission.pin}, follow=True
    )

    html = response.content.decode()
    assert response.status_code == 200 and code in html
    assert "Diterima" in html or "Received" in html


def test_tracking_with_a_wrong_pin_says_so_and_shows_nothing(client, dpmptsp):
    submission = submit_report(dpmptsp)
    wrong = "000000" if submission.pin != "000000" else "111111"

    response = client.post(
        reverse("intake:track"), {"code": submission.report.tracking_code, "pin": wrong}
    )

    assert response.status_code == 400
    assert submission.report.title not in response.content.decode()
    assert (
        client.get(
            reverse("intake:track_detail", args=[submission.report.tracking_code])
        ).status_code
        == 302
    )


def test_citizen_adds_information_with_a_photo(client, dpmptsp):
    submission = submit_report(dpmptsp)
    client.get(reverse("intake:track_link", args=[submission.link_token]))
    url = reverse("intake:track_detail", args=[submission.report.tracking_code])
    photo = SimpleUploadedFile("tambahan.png", jpeg_bytes(), "image/png")

    response = client.post(url, {"message": "Hari ini masih sama.", "files": [photo]})

    assert response.status_code == 302
    assert submission.report.attachments.filter(added_later=True).count() == 1
    assert "Hari ini masih sama." in client.get(url).content.decode()


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")

    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_the_pin_for_the_pdf_is_forgotten_after_a_while(client, dpmptsp, settings):
    settings.RECEIPT_SECRET_MINUTES = 30
    response = client.post(reverse("intake:report"), form_data(dpmptsp))
    pin = client.get(response["Location"]).context["pin"]
    before = str(dict(client.session.items()))

    later = timezone.now() + timedelta(minutes=31)
    with time_machine.travel(later):
        client.get(reverse("intake:receipt_pdf", args=[Report.objects.get().tracking_code]))

    assert pin not in str(dict(client.session.items()))
    assert pin in before, "the PIN was kept for the download right after the receipt"


def test_tracking_counts_the_forwarded_address_only_behind_trusted_proxies(rf, settings):
    from tanggap.common.addresses import client_address

    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.5", REMOTE_ADDR="10.0.0.9")

    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.9"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "10.0.0.5"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "1.2.3.4"


def test_too_many_reports_from_one_address_are_held_and_the_text_kept(client, dpmptsp, settings):
    settings.REPORTS_PER_ADDRESS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(reverse("intake:report"), form_data(dpmptsp)).status_code == 302

    held = client.post(
        reverse("intake:report"), form_data(dpmptsp, title="Laporan ketiga hari ini")
    )

    assert held.status_code == 429
    assert 'value="Laporan ketiga hari ini"' in held.content.decode()
    assert "112" in held.content.decode()
    assert Report.objects.count() == 2


def test_services_and_categories_are_grouped_by_unit_and_organisation(client, dpmptsp, spkt):
    html = client.get(reverse("intake:report")).content.decode()

    assert f'<optgroup label="{dpmptsp.name}">' in html
    assert f'<optgroup label="{spkt.organisation.name}">' in html


def test_a_reporter_who_writes_in_english_is_answered_in_english(
    client, dpmptsp, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:report"), form_data(dpmptsp, email="ani@example.com"))

    report = Report.objects.get()
    assert report.language == "en"
    assert "has been received" in mail.outbox[0].subject
