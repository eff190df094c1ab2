"""GET Service Requests, one request, and tokens: public, never confidential, no personal data."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from tanggap.cases.choices import RejectReason
from tanggap.cases.workflow import case_assign, case_edit, case_reject, case_resolve
from tanggap.intake.services import report_attach
from tanggap.intake.tests.factories import submit_report
from tanggap.integrations.open311 import selectors
from tanggap.integrations.open311.models import ApiKey
from tanggap.integrations.open311.params import SearchInput, SubmissionInput
from tanggap.integrations.open311.services import api_key_issue, request_submit

from .conftest import BASE, fields, make_definition, xml

pytestmark = pytest.mark.django_db

PERSONAL = ("Budi", "Santoso", "budi@example.com", "0812")


def submit(definition, **fields_):
    """Submit through the service as the endpoint does, with a name, e-mail and phone.

    The unit's key must exist (the key fixture).
    """
    key = ApiKey.objects.filter(unit=definition.unit).first()
    data = {
        "description": "Rambu roboh di depan pasar.",
        "latitude": None,
        "longitude": None,
        "address_string": "Jl. Pasar Besar",
        "first_name": "Budi",
        "last_name": "Santoso",
        "email": "budi@example.com",
        "phone": "0812-0000-1234",
        "attributes": {"masalah": "lama"} if definition.attributes.exists() else {},
    }
    data.update(fields_)
    return request_submit(
        api_key=key, definition=definition, data=SubmissionInput(**data), language="id"
    )


def test_search_json_returns_public_records_without_personal_data(client, service, key):
    # given a request with a name, e-mail and phone to a service that publishes details
    request = submit(service, latitude=-7.2651, longitude=112.7427)
    # when the requests are searched in JSON
    response = client.get(BASE + "requests.json")
    # then the record has the spec's fields and none of the personal data
    assert response.status_code == 200
    [record] = response.json()
    case = request.report.case
    assert record["service_request_id"] == str(request.report_id)
    assert record["status"] == "open"
    assert record["status_notes"]
    assert record["service_code"] == "spkt-antrian"
    assert record["service_name"] == "Antrian SPKT"
    assert record["description"].startswith("Rambu roboh di depan pasar.")
    assert record["agency_responsible"] == service.unit.name
    assert record["address"] == "Jl. Pasar Besar"
    assert record["lat"] == pytest.approx(-7.2651)
    assert record["long"] == pytest.approx(112.7427)
    assert record["requested_datetime"].endswith("+07:00")
    # expected_datetime is the case's running deadline, in the unit's zone
    assert record["expected_datetime"] == case.due_at.astimezone(service.unit.tz).isoformat(
        timespec="seconds"
    )
    assert "media_url" not in record
    text = response.content.decode()
    for personal in PERSONAL:
        assert personal not in text


def test_search_xml_parses_with_the_same_fields(client, service, key):
    submit(service)
    root = xml(client.get(BASE + "requests.xml"))
    assert root.tag == "service_requests"
    record = fields(root.find("request"))
    assert record["status"] == "open"
    assert record["service_code"] == "spkt-antrian"
    assert datetime.fromisoformat(record["requested_datetime"]).tzinfo is not None


def test_details_are_hidden_when_the_service_does_not_publish_them(client, plain_service, key):
    # given a service left at the default (details not published)
    submit(plain_service, latitude=-7.2, longitude=112.7)
    # when the request is read
    [record] = client.get(BASE + "requests.json").json()
    # then the text and the location are absent, the status and dates present
    for absent in ("description", "address", "lat", "long", "address_id"):
        assert absent not in record
    assert record["status"] == "open"
    assert "Rambu" not in client.get(BASE + "requests.xml").content.decode()


def test_confidential_requests_never_appear(client, service, spkt, key, officer):
    # given a request to a confidential service, one made confidential later, and a public one
    secret_service = make_definition(spkt, "rahasia", is_confidential=True)
    hidden = submit(secret_service)
    later = submit(service, description="Nanti dirahasiakan")
    case_edit(case=later.report.case, by=officer, changes={"is_confidential": True})
    shown = submit(service)
    # when searched, looked up by id, or by token, in both formats
    ids = [r["service_request_id"] for r in client.get(BASE + "requests.json").json()]
    by_id = client.get(
        BASE + "requests.json",
        {"service_request_id": f"{hidden.report_id},{later.report_id},{shown.report_id}"},
    ).json()
    # then only the public one is there
    assert ids == [str(shown.report_id)]
    assert [r["service_request_id"] for r in by_id] == [str(shown.report_id)]
    for request in (hidden, later):
        for fmt in ("json", "xml"):
            assert client.get(f"{BASE}requests/{request.report_id}.{fmt}").status_code == 404
            assert client.get(f"{BASE}tokens/{request.token}.{fmt}").status_code == 404
    assert "Nanti dirahasiakan" not in client.get(BASE + "requests.xml").content.decode()


def test_reports_from_other_channels_are_not_in_the_feed(client, service, spkt, key):
    # given a report through the web form to the same unit and service
    submit_report(spkt, service=service.service)
    # then the Open311 feed does not publish it
    assert client.get(BASE + "requests.json").json() == []


def test_closed_request_has_closed_status_and_no_expected_time(client, service, key, officer):
    # given a resolved request and a rejected one whose note is free text
    resolved = submit(service)
    case = case_assign(case=resolved.report.case, by=officer, officer=officer)
    case_resolve(case=case, by=officer, note="Sudah ditangani oleh Pak Rudi.")
    rejected = submit(service, description="Spam spam")
    case_reject(
        case=rejected.report.case,
        by=officer,
        reason=RejectReason.SPAM,
        note="Pesan berulang dari nomor 0812.",
    )
    # when they are read
    records = {r["service_request_id"]: r for r in client.get(BASE + "requests.json").json()}
    done = records[str(resolved.report_id)]
    spam = records[str(rejected.report_id)]
    # then both are closed, with the status label as note and the closing time as update
    assert done["status"] == spam["status"] == "closed"
    assert "expected_datetime" not in done
    resolved.report.case.refresh_from_db()
    closed_at = resolved.report.case.closed_at.astimezone(service.unit.tz)
    assert done["updated_datetime"] == closed_at.isoformat(timespec="seconds")
    # officers' free text never goes out, and a rejected request's text is withdrawn
    text = client.get(BASE + "requests.json").content.decode()
    assert "Pak Rudi" not in text and "0812" not in text
    assert "description" not in spam


def test_status_filter(client, service, key, officer):
    open_one = submit(service)
    closed = submit(service)
    case = case_assign(case=closed.report.case, by=officer, officer=officer)
    case_resolve(case=case, by=officer)

    def ids(status):
        response = client.get(BASE + "requests.json", {"status": status})
        return {r["service_request_id"] for r in response.json()}

    assert ids("open") == {str(open_one.report_id)}
    assert ids("closed") == {str(closed.report_id)}
    assert ids("open,closed") == {str(open_one.report_id), str(closed.report_id)}
    assert ids("") == ids("open,closed")
    assert client.get(BASE + "requests.json", {"status": "pending"}).status_code == 400


def test_service_code_filter_takes_a_list(client, service, plain_service, spkt, key):
    submit(service)
    submit(plain_service)
    third = make_definition(spkt, "ketiga")
    submit(third)
    response = client.get(BASE + "requests.json", {"service_code": "spkt-umum,ketiga"})
    assert sorted(r["service_code"] for r in response.json()) == ["ketiga", "spkt-umum"]


def test_default_window_is_the_last_90_days(client, service, key):
    # given a request 100 days ago and one today
    with time_machine.travel(timezone.now() - timedelta(days=100)):
        old = submit(service)
    new = submit(service)
    # when searched without dates, then only the recent one comes back
    ids = [r["service_request_id"] for r in client.get(BASE + "requests.json").json()]
    assert ids == [str(new.report_id)]
    # and a W3C range (as the three client formats it) finds the old one
    start = (timezone.now() - timedelta(days=110)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - timedelta(days=95)).strftime("%Y-%m-%dT%H:%M:%SZ")
    response = client.get(BASE + "requests.json", {"start_date": start, "end_date": end})
    assert [r["service_request_id"] for r in response.json()] == [str(old.report_id)]
    # the id list overrides the dates
    response = client.get(BASE + "requests.json", {"service_request_id": str(old.report_id)})
    assert len(response.json()) == 1


@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
        {"start_date": "yesterday"},
        {"end_date": "2026-13-45"},
        {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
        {"page_size": "0"},
        {"page": "-1"},
    ],
)
def test_bad_search_arguments_are_400(client, service, query):
    for fmt in ("json", "xml"):
        response = client.get(f"{BASE}requests.{fmt}", query)
        assert response.status_code == 400
    assert xml(response).find("error/description").text


def test_page_size_and_page(client, service, key):
    made = [submit(service) for _ in range(3)]
    newest_first = [str(r.report_id) for r in reversed(made)]
    first = client.get(BASE + "requests.json", {"page_size": "2"}).json()
    second = client.get(BASE + "requests.json", {"page_size": "2", "page": "2"}).json()
    assert [r["service_request_id"] for r in first + second] == newest_first


def test_request_lookup_is_a_list_of_one(client, service, key):
    request = submit(service)
    response = client.get(f"{BASE}requests/{request.report_id}.json")
    assert response.status_code == 200
    [record] = response.json()
    assert record["service_request_id"] == str(request.report_id)
    root = xml(client.get(f"{BASE}requests/{request.report_id}.xml"))
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == str(request.report_id)


@pytest.mark.parametrize("request_id", ["999999", "abc", "1;DROP"])
def test_unknown_request_is_404(client, service, request_id):
    response = client.get(f"{BASE}requests/{request_id}.json")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


def test_token_gives_the_request_id(client, spkt, key):
    batch = make_definition(spkt, "batch-svc", type="batch")
    request = submit(batch)
    [answer] = client.get(f"{BASE}tokens/{request.token}.json").json()
    assert answer == {"service_request_id": str(request.report_id), "token": request.token}
    root = xml(client.get(f"{BASE}tokens/{request.token}.xml"))
    assert root.find("request/service_request_id").text == str(request.report_id)
    assert client.get(f"{BASE}tokens/unknown-token.json").status_code == 404


def test_jurisdiction_scopes_requests(client, service, other_service, dpmptsp, key):
    api_key_issue(name="dpm", unit=dpmptsp)
    mine = submit(service)
    theirs = submit(other_service, attributes={})
    response = client.get(BASE + "requests.json", {"jurisdiction_id": dpmptsp.organisation.slug})
    assert [r["service_request_id"] for r in response.json()] == [str(theirs.report_id)]
    # a request of another jurisdiction is not found under this one
    response = client.get(
        f"{BASE}requests/{mine.report_id}.json", {"jurisdiction_id": dpmptsp.organisation.slug}
    )
    assert response.status_code == 404


def test_search_reads_a_fixed_number_of_queries(
    client, service, key, django_assert_max_num_queries
):
    # given many requests
    for _ in range(12):
        submit(service)
    search = SearchInput(start=timezone.now() - timedelta(days=1), end=timezone.now())
    # when the search selector runs, its query count does not grow with the rows
    with django_assert_max_num_queries(1):
        found = selectors.requests_search(search, None)
    assert len(found) == 12
    # and the whole answer (with the status labels) stays a few queries
    with django_assert_max_num_queries(4):
        assert len(client.get(BASE + "requests.json").json()) == 12


def test_w3c_datetimes_accept_offsets_and_dates(client, service, key):
    submit(service)
    today = datetime.now(UTC).date()
    for start in (f"{today}", f"{today}T00:00:00+07:00", f"{today}T00:00:00 07:00"):
        response = client.get(BASE + "requests.json", {"start_date": start})
        assert response.status_code == 200, start


def test_contacts_typed_into_a_published_description_are_masked(client, service, key):
    submit(service, description="Telp saya 0857 1111 2222, email siti@example.com")
    [record] = client.get(BASE + "requests.json").json()
    # (by insights.pii, as every published text)
    assert record["description"].startswith("Telp saya [TELEPON], email [EMAIL]")


def test_request_joined_with_a_confidential_report_disappears(client, service, spkt, key, officer):
    # given a public Open311 request, and a confidential web report joined to its case
    request = submit(service)
    secret = submit_report(spkt, is_confidential=True).report
    report_attach(report=secret, case=request.report.case, by=officer)
    # when the feed is read, then the request is gone from it and from the lookup
    assert client.get(BASE + "requests.json").json() == []
    assert client.get(f"{BASE}requests/{request.report_id}.xml").status_code == 404
