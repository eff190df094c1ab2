"""POST Service Request: keys, validation, media, and what it creates."""

import logging

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from tanggap.cases.choices import Channel
from tanggap.intake.models import Attachment, Report
from tanggap.intake.tests.factories import jpeg_bytes
from tanggap.integrations.open311.models import Open311Request
from tanggap.integrations.open311.services import api_key_issue, api_key_revoke

from .conftest import BASE, fields, make_definition, valid_post, xml

pytestmark = pytest.mark.django_db


def counts():
    return (Report.objects.count(), Open311Request.objects.count(), Attachment.objects.count())


def test_post_json_creates_a_report_and_returns_its_id(
    client, service, key, django_capture_on_commit_callbacks
):
    # given a valid submission with the key in the body
    # when it is posted in JSON
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            BASE + "requests.json", valid_post(api_key=key, email="w@example.com")
        )
    # then the answer is an array of one with the id and the service notice, no token
    assert response.status_code == 200
    [answer] = response.json()
    assert set(answer) == {"service_request_id", "service_notice"}
    assert answer["service_notice"] == "Dijawab dalam 24 jam."
    report = Report.objects.get(pk=int(answer["service_request_id"]))
    # and the report is in the service's unit, through the Open311 channel, with its place
    assert report.unit == service.unit
    assert report.channel == Channel.OPEN311
    assert report.service == service.service
    assert report.case.channel == Channel.OPEN311
    assert str(report.latitude) == "-7.265150"
    assert report.location_text == "Jl. Bhayangkara No. 1"
    assert report.description.startswith("Antrian sangat lama, loket 2 tutup.")
    # the attribute answer is readable by officers, by its label
    assert "Apa masalahnya?: Antrian lama" in report.description
    assert report.open311.attributes == {"masalah": "lama"}
    # no name given: anonymous; the e-mail gets the receipt
    assert report.is_anonymous
    assert len(mail.outbox) == 1


def test_post_xml_answers_service_requests_request(client, service, key):
    response = client.post(BASE + "requests.xml", valid_post(api_key=key))
    assert response.status_code == 200
    root = xml(response)
    assert root.tag == "service_requests"
    answer = fields(root.find("request"))
    assert answer["service_request_id"].isdigit()
    assert "token" not in answer


def test_key_in_the_query_string_with_the_body_form_encoded(client, service, key):
    # given the open311 1.1 client's shape: key and jurisdiction in the query, the rest in the body
    url = f"{BASE}requests.xml?jurisdiction_id=&api_key={key}"
    # when it posts
    response = client.post(url, valid_post())
    # then the request is accepted
    assert response.status_code == 200
    assert Report.objects.count() == 1


def test_multivaluelist_and_number_attributes(client, service, key):
    answers = {"attribute[hari][]": ["sen", "sel"], "attribute[jumlah]": "40"}
    data = valid_post(api_key=key, **answers)
    response = client.post(BASE + "requests.json", data)
    assert response.status_code == 200
    assert Open311Request.objects.get().attributes == {
        "masalah": "lama",
        "hari": ["sen", "sel"],
        "jumlah": "40",
    }


def test_names_make_the_reporter_known_and_sealed(client, service, key):
    response = client.post(
        BASE + "requests.json",
        valid_post(api_key=key, first_name="Budi", last_name="Santoso", phone="0812-0000-1234"),
    )
    assert response.status_code == 200
    report = Report.objects.get()
    assert not report.is_anonymous
    # the name is stored encrypted, not in clear
    assert "Budi" not in report.reporter.name_enc


def test_batch_service_answers_a_token_and_no_id(client, spkt, key):
    make_definition(spkt, "batch-svc", type="batch")
    response = client.post(
        BASE + "requests.json",
        {"api_key": key, "service_code": "batch-svc", "lat": "1", "long": "2"},
    )
    assert response.status_code == 200
    [answer] = response.json()
    assert set(answer) == {"token"}
    assert answer["token"] == Open311Request.objects.get().token


def test_confidential_service_makes_a_confidential_report(client, spkt, key):
    make_definition(spkt, "rahasia", is_confidential=True)
    client.post(
        BASE + "requests.json",
        {"api_key": key, "service_code": "rahasia", "address_string": "SPKT"},
    )
    report = Report.objects.get()
    assert report.is_confidential and report.case.is_confidential


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("bad_key", [None, "", "wrong-key"])
def test_missing_or_wrong_key_is_403_and_creates_nothing(
    client, service, key, fmt, bad_key, caplog
):
    data = valid_post() if bad_key is None else valid_post(api_key=bad_key)
    with caplog.at_level(logging.WARNING, logger="tanggap.integrations.open311.views"):
        response = client.post(f"{BASE}requests.{fmt}", data)
    assert response.status_code == 403
    if fmt == "json":
        assert response.json()[0]["code"] == 403
    else:
        assert xml(response).findtext("error/code") == "403"
    assert counts() == (0, 0, 0)
    # the refusal is logged, without the key
    assert "403" in caplog.text
    assert key not in caplog.text


def test_revoked_key_is_refused(client, service, spkt):
    issued = api_key_issue(name="lama", unit=spkt)
    api_key_revoke(key=issued.key)
    response = client.post(BASE + "requests.json", valid_post(api_key=issued.raw))
    assert response.status_code == 403
    assert counts() == (0, 0, 0)


def test_key_of_another_unit_cannot_submit(client, service, other_service, dpmptsp, spkt):
    # given a key of the DPMPTSP and a key of the SPKT
    other = api_key_issue(name="lain", unit=dpmptsp).raw
    # when the DPMPTSP's key posts to the SPKT's service
    response = client.post(BASE + "requests.json", valid_post(api_key=other))
    # then it is refused and nothing is created
    assert response.status_code == 403
    assert counts() == (0, 0, 0)


def test_organisation_key_covers_its_units(client, service, spkt):
    raw = api_key_issue(name="org", organisation=spkt.organisation).raw
    assert client.post(BASE + "requests.json", valid_post(api_key=raw)).status_code == 200


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_code_is_404(client, service, key, fmt):
    response = client.post(f"{BASE}requests.{fmt}", valid_post("nope", api_key=key))
    assert response.status_code == 404
    assert counts() == (0, 0, 0)


def test_missing_service_code_is_400(client, service, key):
    response = client.post(BASE + "requests.json", valid_post("", api_key=key))
    assert response.status_code == 400
    assert "service_code" in response.json()[0]["description"]


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"attribute[masalah]": ""}, "attribute[masalah]"),
        ({"attribute[masalah]": "banjir"}, "attribute[masalah]"),
        ({"attribute[jumlah]": "banyak"}, "attribute[jumlah]"),
        ({"attribute[hari][]": ["sen", "minggu"]}, "attribute[hari]"),
        ({"attribute[siapa]": "x"}, "attribute[siapa]"),
        ({"attribute[info]": "x"}, "attribute[info]"),
        ({"lat": "-7.2", "long": ""}, "lat"),
        ({"lat": "abc"}, "abc"),
        ({"lat": "91"}, "91"),
        ({"long": "NaN"}, "NaN"),
        ({"lat": "", "long": "", "address_string": ""}, "address_id"),
        ({"description": "x" * 4001}, "4000"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": "call me"}, "phone"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"first_name": "x" * 101}, "100"),
    ],
)
def test_malformed_input_is_400_and_creates_nothing(client, service, key, change, needle):
    # given an otherwise valid submission with one bad field
    data = valid_post(api_key=key, **change)
    # when it is posted
    response = client.post(BASE + "requests.json", data)
    # then the answer is 400 naming the problem, and nothing is stored
    assert response.status_code == 400, response.content
    assert any(needle in error["description"] for error in response.json())
    assert counts() == (0, 0, 0)


def test_every_problem_is_listed_at_once(client, service, key):
    data = valid_post(api_key=key, **{"attribute[masalah]": "", "email": "x", "lat": "999"})
    response = client.post(BASE + "requests.xml", data)
    assert response.status_code == 400
    assert len(xml(response).findall("error")) == 3


def test_empty_description_becomes_the_service_name_as_title(client, plain_service, key):
    response = client.post(
        BASE + "requests.json",
        {"api_key": key, "service_code": "spkt-umum", "address_id": "A-17", "description": ""},
    )
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.title == "Pengaduan umum"
    assert report.open311.address_id == "A-17"


def test_media_file_is_cleaned_and_attached(client, service, key):
    # given the three client's multipart POST with a photo carrying GPS metadata
    photo = SimpleUploadedFile("foto.jpg", jpeg_bytes(gps=True), content_type="image/jpeg")
    # when it posts
    response = client.post(BASE + "requests.json", {**valid_post(api_key=key), "media": photo})
    # then the photo is attached to the report, re-encoded without its metadata
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/jpeg"
    assert b"PhoneMaker" not in attachment.file.read()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("x.jpg", b"<html><script>alert(1)</script></html>", 415),
        ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 415),
        ("x.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, 400),
        ("x.pdf", b"%PDF-1.4 /JavaScript (app.alert(1))", 400),
    ],
)
def test_hostile_media_is_refused_and_creates_nothing(client, service, key, name, content, code):
    upload = SimpleUploadedFile(name, content)
    response = client.post(BASE + "requests.json", {**valid_post(api_key=key), "media": upload})
    assert response.status_code == 400
    assert response.json()[0]["code"] == code
    assert counts() == (0, 0, 0)


def test_oversized_media_is_refused_before_reading(client, service, key, settings):
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"\x00" * (10 * 1024 * 1024 + 10))
    response = client.post(BASE + "requests.xml", {**valid_post(api_key=key), "media": big})
    assert response.status_code == 400
    assert xml(response).findtext("error/code") == "413"
    assert counts() == (0, 0, 0)


def test_two_media_files_are_refused(client, service, key):
    photos = [SimpleUploadedFile(f"{n}.jpg", jpeg_bytes()) for n in "ab"]
    response = client.post(BASE + "requests.json", {**valid_post(api_key=key), "media": photos})
    assert response.status_code == 400
    assert counts() == (0, 0, 0)


def test_a_json_body_is_refused_with_415(client, service, key):
    response = client.post(
        BASE + "requests.json", valid_post(api_key=key), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()[0]["code"] == 415
    assert counts() == (0, 0, 0)


def test_media_url_is_kept_as_a_link_only(client, service, key):
    url = "https://example.org/foto/1.jpg"
    response = client.post(BASE + "requests.json", valid_post(api_key=key, media_url=url))
    assert response.status_code == 200
    assert Open311Request.objects.get().media_url == url
    assert Attachment.objects.count() == 0


def test_control_characters_are_dropped_from_text(client, service, key):
    response = client.post(
        BASE + "requests.json", valid_post(api_key=key, description="Antri\x00 lama\x1b[31m")
    )
    assert response.status_code == 200
    assert Report.objects.get().description.startswith("Antri lama[31m")


def test_key_records_its_last_use(client, service, key):
    client.post(BASE + "requests.json", valid_post(api_key=key))
    assert Open311Request.objects.get().api_key.last_used_at is not None


def test_too_many_fields_is_a_400_in_the_open311_format(client, service, key, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    data = valid_post(api_key=key, **{f"x{n}": "1" for n in range(30)})
    response = client.post(BASE + "requests.xml", data)
    assert response.status_code == 400
    assert xml(response).findtext("error/code") == "400"
    assert counts() == (0, 0, 0)
