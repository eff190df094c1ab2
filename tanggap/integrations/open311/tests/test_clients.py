"""What the Python Open311 clients send, and how they read the answers (anchors.md 3.4).

The clients themselves are not installed (two are Python 2 only); each test replays one
client's exact requests against the endpoint and reads the answer the way that client does:
``xmltodict``-style for XML (a lone child is a dict, repeated children a list), the raw JSON
otherwise.
"""

from collections import defaultdict
from datetime import timedelta
from xml.etree import ElementTree as ET  # noqa: S405 - parses our own answers in tests

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tanggap.intake.models import Attachment, Report
from tanggap.intake.tests.factories import jpeg_bytes
from tanggap.integrations.open311.models import Open311Request

from .conftest import BASE, make_definition

pytestmark = pytest.mark.django_db


def xmltodict(content: bytes) -> dict:
    """Read XML as xmltodict.parse does for attribute-free documents."""

    def convert(element):
        children = list(element)
        if not children:
            return element.text
        grouped = defaultdict(list)
        for child in children:
            grouped[child.tag].append(convert(child))
        return {tag: values[0] if len(values) == 1 else values for tag, values in grouped.items()}

    root = ET.fromstring(content)  # noqa: S314 - our own answer
    return {root.tag: convert(root)}


def as_list(value):
    return value if isinstance(value, list) else [value]


# georeport 0.3.1: read-only, JSON by default, strips a trailing "/" from the endpoint.


def test_georeport_json_services_definition_requests_and_one_request(client, service, key):
    endpoint = BASE.rstrip("/")
    client.post(
        f"{endpoint}/requests.json",
        {"api_key": key, "service_code": "spkt-antrian", "lat": "-7.2", "long": "112.7",
         "attribute[masalah]": "lama"},
    )  # fmt: skip
    services = client.get(f"{endpoint}/services.json").json()
    assert isinstance(services, list) and services[0]["service_code"] == "spkt-antrian"
    definition = client.get(f"{endpoint}/services/spkt-antrian.json").json()
    assert definition["attributes"][0]["code"] == "masalah"
    # georeport passes every argument; the requests library drops the None ones
    requests = client.get(
        f"{endpoint}/requests.json", {"service_code": "spkt-antrian", "status": "open"}
    ).json()
    assert len(requests) == 1
    one = client.get(f"{endpoint}/requests/{requests[0]['service_request_id']}.json").json()[0]
    assert one["service_code"] == "spkt-antrian"


def test_georeport_xml_reads_services_and_service_definition(client, service, plain_service):
    endpoint = BASE.rstrip("/")
    parsed = xmltodict(client.get(f"{endpoint}/services.xml").content)
    codes = [s["service_code"] for s in as_list(parsed["services"]["service"])]
    assert codes == ["spkt-antrian", "spkt-umum"]
    definition = xmltodict(client.get(f"{endpoint}/services/spkt-antrian.xml").content)
    attributes = as_list(definition["service_definition"]["attributes"]["attribute"])
    assert attributes[0]["values"]["value"][0] == {"key": "lama", "name": "Antrian lama"}


# open311 1.1: XML only; base + "/" + path; jurisdiction_id always sent, empty when unset;
# the api_key in the query string of the POST, the fields form-encoded in the body.


def test_open311_client_full_round_trip_in_xml(client, spkt, service, key):
    base = BASE  # configured with a trailing slash, so the client asks for "//..."
    services = xmltodict(client.get(f"{base}/services.xml").content)["services"]["service"]
    assert services["service_code"] == "spkt-antrian"
    definition = xmltodict(
        client.get(f"{base}/service/spkt-antrian.xml", {"jurisdiction_id": ""}).content
    )
    assert definition["service_definition"]["service_code"] == "spkt-antrian"
    response = client.post(
        f"{base}/requests.xml?jurisdiction_id=&api_key={key}",
        {"service_code": "spkt-antrian", "address_string": "Jl. Bhayangkara 1",
         "description": "Loket tutup", "attribute[masalah]": "tutup"},
    )  # fmt: skip
    assert response.status_code == 200
    created = xmltodict(response.content)["service_requests"]["request"]
    request_id = created["service_request_id"]
    found = xmltodict(
        client.get(f"{base}/requests.xml", {"jurisdiction_id": "", "status": "open"}).content
    )["service_requests"]["request"]
    assert found["service_request_id"] == request_id
    one = xmltodict(client.get(f"{base}/requests/{request_id}.xml").content)
    assert one["service_requests"]["request"]["status"] == "open"


def test_open311_client_token_lookup(client, spkt, key):
    make_definition(spkt, "batch-svc", type="batch", publish_details=True)
    response = client.post(
        f"{BASE}/requests.xml?jurisdiction_id=&api_key={key}",
        {"service_code": "batch-svc", "lat": "-7.25", "long": "112.75"},
    )
    token = xmltodict(response.content)["service_requests"]["request"]["token"]
    answer = xmltodict(client.get(f"{BASE}/tokens/{token}.xml", {"jurisdiction_id": ""}).content)
    request = answer["service_requests"]["request"]
    assert request["token"] == token
    assert Report.objects.filter(pk=int(request["service_request_id"])).exists()


# three 0.8.0: JSON by default; discovery; api_key in the body; address -> address_string,
# name -> first_name/last_name; media= makes a multipart POST with the field "media";
# count -> page_size; dates as %Y-%m-%dT%H:%M:%SZ.


def test_three_discovery_then_services(client, service):
    discovery = client.get(BASE + "discovery.json").json()
    url = discovery["endpoints"][0]["url"].replace("http://testserver", "") + "/"
    assert client.get(url + "services.json").json()[0]["service_code"] == "spkt-antrian"
    assert client.get(url + "services/spkt-antrian.json").json()["service_code"] == "spkt-antrian"


def test_three_post_with_media_then_search_with_count_and_dates(client, service, key):
    photo = SimpleUploadedFile("pothole.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = client.post(
        BASE + "requests.json",
        {"api_key": key, "service_code": "spkt-antrian", "address_string": "Jl. Pasar 2",
         "first_name": "Siti", "last_name": "Aminah", "description": "Antrian mengular",
         "attribute[masalah]": "lama", "media": photo},
    )  # fmt: skip
    assert response.status_code == 200
    request_id = response.json()[0]["service_request_id"]
    assert Attachment.objects.get().report_id == int(request_id)
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    now = timezone.now()
    found = client.get(
        BASE + "requests.json",
        {"service_code": "spkt-antrian", "page_size": "5",
         "start_date": (now - timedelta(days=2)).strftime(fmt),
         "end_date": (now + timedelta(days=1)).strftime(fmt)},
    ).json()  # fmt: skip
    assert [r["service_request_id"] for r in found] == [request_id]
    assert "Siti" not in str(found)
    token = Open311Request.objects.get().token
    assert client.get(f"{BASE}tokens/{token}.json").json()[0]["service_request_id"] == request_id


def test_three_post_without_key_gets_a_parseable_403(client, service):
    response = client.post(BASE + "requests.json", {"service_code": "spkt-antrian"})
    assert response.status_code == 403
    assert response.json() == [{"code": 403, "description": response.json()[0]["description"]}]
