"""Staff on the API: adding files to reports and reading them, within the token's units."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import encode_multipart
from PIL import Image

from tanggap.accounts.tests.factories import UnitFactory
from tanggap.cases.choices import Channel, EventKind
from tanggap.cases.workflow import case_assign, case_verify
from tanggap.common.tests.api_helpers import BASE, get, headers, issue_token
from tanggap.intake.models import Attachment
from tanggap.intake.services import MAX_ATTACHMENTS_PER_REPORT
from tanggap.intake.tests.factories import clean_jpeg, jpeg_bytes, submit_report

pytestmark = pytest.mark.django_db


def upload(client, code, files, *, token, key=None):
    """POST *files* ((name, bytes) pairs) as multipart/form-data, as a client program would."""
    parts = [SimpleUploadedFile(name, data) for name, data in files]
    return client.post(
        f"{BASE}/reports/{code}/attachments",
        {"files": parts},
        headers=headers(token, key or str(uuid.uuid4())),
    )


def test_a_photo_is_attached_without_its_metadata_and_listed_in_the_case(client, spkt, officer):
    # given a report and a photo carrying a GPS position
    report = submit_report(spkt).report
    token = issue_token(officer, spkt)
    # when the officer attaches the photo to the report by its tracking code
    response = upload(
        client, report.tracking_code, [("lokasi.jpg", jpeg_bytes(gps=True))], token=token
    )
    # then it is stored re-encoded without EXIF, and the case detail lists its metadata
    assert response.status_code == 201
    stored = Attachment.objects.get(report=report)
    assert stored.added_later
    with Image.open(stored.file.open("rb")) as image:
        assert not image.getexif()
    listed = get(client, f"/cases/{report.case_id}", token=token).json()["reports"][0]
    assert [(a["id"], a["name"], a["size"]) for a in listed["attachments"]] == [
        (stored.pk, "lokasi.jpg", stored.size)
    ]
    note = report.case.events.get(kind=EventKind.NOTE)
    assert (note.actor, note.is_public, note.data["files"]) == (officer, False, ["lokasi.jpg"])


def test_a_report_of_another_unit_answers_404(client, spkt, dpmptsp, officer):
    # given a report of another organisation
    other = submit_report(dpmptsp).report
    # when the officer's token attaches a file to it
    response = upload(
        client, other.tracking_code, [("a.jpg", jpeg_bytes())], token=issue_token(officer, spkt)
    )
    # then it answers 404 and nothing is stored
    assert response.status_code == 404
    assert not Attachment.objects.exists()


def test_bad_files_are_refused_and_nothing_is_stored(client, spkt, officer):
    # given a report
    report = submit_report(spkt).report
    token = issue_token(officer, spkt)
    # when a good photo comes with a page of HTML, or no file comes at all
    mixed = upload(
        client,
        report.tracking_code,
        [("a.jpg", jpeg_bytes()), ("b.pdf", b"<html><script>x</script></html>")],
        token=token,
    )
    empty = upload(client, report.tracking_code, [], token=token)
    # then both are refused naming the files, and the good photo was not stored either
    assert mixed.status_code == empty.status_code == 422
    assert [f["field"] for f in mixed.json()["error"]["fields"]] == ["files"]
    assert "b.pdf" in mixed.json()["error"]["fields"][0]["message"]
    assert not Attachment.objects.exists()


def test_the_reports_file_limit_holds(client, spkt, officer):
    # given a report that already holds one file short of the limit
    files = [clean_jpeg(size=(10 + n, 10)) for n in range(MAX_ATTACHMENTS_PER_REPORT - 1)]
    report = submit_report(spkt, files=files).report
    token = issue_token(officer, spkt)
    # when two more different photos are attached
    response = upload(
        client,
        report.tracking_code,
        [("x.jpg", jpeg_bytes(size=(99, 9))), ("y.jpg", jpeg_bytes(size=(98, 9)))],
        token=token,
    )
    # then it is refused and the report keeps what it had
    assert response.status_code == 422
    assert report.attachments.count() == MAX_ATTACHMENTS_PER_REPORT - 1


def test_an_auditor_cannot_attach(client, spkt, auditor):
    # given an auditor's token, who sees the case but does not handle it
    report = submit_report(spkt).report
    # when the auditor attaches a photo
    response = upload(
        client, report.tracking_code, [("a.jpg", jpeg_bytes())], token=issue_token(auditor, spkt)
    )
    # then it is forbidden and nothing is stored
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_a_repeated_upload_is_replayed_and_the_same_file_is_not_stored_twice(client, spkt, officer):
    # given a photo uploaded with a key
    report = submit_report(spkt).report
    token = issue_token(officer, spkt)
    photo = [("a.jpg", jpeg_bytes())]
    first = upload(client, report.tracking_code, photo, token=token, key="upload-0001")
    # when the client retries with the same key, and later sends the same photo anew
    again = upload(client, report.tracking_code, photo, token=token, key="upload-0001")
    anew = upload(client, report.tracking_code, photo, token=token)
    # then the retry gets the first answer, and the report holds the photo once
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert anew.status_code == 201
    assert report.attachments.count() == 1


def test_a_token_may_attach_to_a_report_its_user_entered_though_the_case_moved_away(
    client, spkt, officer
):
    # given walk-in reports entered at a post, whose cases were then disposed to the parent unit
    post_unit = UnitFactory(organisation=spkt.organisation, parent=spkt, name="Pos Jaga")
    entered = submit_report(post_unit, channel=Channel.WALK_IN, received_by=officer).report
    stranger = submit_report(post_unit).report
    for report in (entered, stranger):
        case = case_verify(case=report.case, by=officer, complexity="simple")
        case_assign(case=case, by=officer, unit=spkt)
    token = issue_token(officer, post_unit)
    # when the post's token attaches a scanned letter to each
    own = upload(client, entered.tracking_code, [("surat.jpg", jpeg_bytes())], token=token)
    other = upload(client, stranger.tracking_code, [("surat.jpg", jpeg_bytes())], token=token)
    # then the report its user entered takes it; the other, out of the token's cases, is 404
    assert get(client, f"/cases/{entered.case_id}", token=token).status_code == 404
    assert own.status_code == 201
    assert own.json()["attachments"][0]["name"] == "surat.jpg"
    assert other.status_code == 404
    assert not stranger.attachments.exists()


def test_the_openapi_document_describes_the_upload_as_multipart(client):
    # when the OpenAPI document is read
    paths = client.get(f"{BASE}/openapi.json").json()["paths"]
    # then the upload's body is multipart with a list of files
    body = paths[f"{BASE}/reports/{{code}}/attachments"]["post"]["requestBody"]
    files = body["content"]["multipart/form-data"]["schema"]["properties"]["files"]
    assert files["items"]["format"] == "binary"


def test_a_file_of_a_case_is_read_through_its_case_only(client, spkt, dpmptsp, officer):
    # given a report with a photo, and a report of another organisation with one
    report = submit_report(spkt, files=[clean_jpeg()]).report
    other = submit_report(dpmptsp, files=[clean_jpeg()]).report
    token = issue_token(officer, spkt)
    mine, theirs = report.attachments.get(), other.attachments.get()
    # when the officer reads the files through the API
    ok = client.get(f"{BASE}/cases/{report.case_id}/attachments/{mine.pk}", headers=headers(token))
    across = get(client, f"/cases/{report.case_id}/attachments/{theirs.pk}", token=token)
    away = get(client, f"/cases/{other.case_id}/attachments/{theirs.pk}", token=token)
    # then the own file comes as stored; the other unit's answers 404 either way
    assert ok.status_code == 200
    assert b"".join(ok.streaming_content) == mine.file.open("rb").read()
    assert across.status_code == away.status_code == 404


def test_a_phone_photo_larger_than_a_json_body_is_accepted(client, spkt, officer):
    # given a report and a photo of about 300 KB, as phones send them
    report = submit_report(spkt).report
    noise = Image.effect_noise((600, 600), 80).convert("RGB")
    out = io.BytesIO()
    noise.save(out, "JPEG", quality=95)
    assert out.tell() > 200 * 1024
    # when it is attached
    response = upload(
        client,
        report.tracking_code,
        [("foto.jpg", out.getvalue())],
        token=issue_token(officer, spkt),
    )
    # then it is stored
    assert response.status_code == 201


def test_a_retry_rebuilt_with_a_new_boundary_is_replayed(client, spkt, officer):
    # given a photo uploaded with a key
    report = submit_report(spkt).report
    token = issue_token(officer, spkt)
    photo = jpeg_bytes()
    answers = []
    # when the client retries with the same key, its library picking a new multipart boundary
    for boundary in ("Boundary-first-try", "Boundary-second-try"):
        body = encode_multipart(boundary, {"files": [SimpleUploadedFile("a.jpg", photo)]})
        answers.append(
            client.post(
                f"{BASE}/reports/{report.tracking_code}/attachments",
                body,
                content_type=f"multipart/form-data; boundary={boundary}",
                headers=headers(token, "upload-boundary-01"),
            )
        )
    # then the retry gets the first answer again
    assert answers[1].status_code == 201
    assert answers[1]["Idempotent-Replayed"] == "true"
