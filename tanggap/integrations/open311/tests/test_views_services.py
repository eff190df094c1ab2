"""Discovery, the service list and service definitions, in JSON and XML."""

import pytest

from .conftest import BASE, fields, make_definition, xml

pytestmark = pytest.mark.django_db


def test_discovery_json_names_the_spec_and_both_formats(client, service):
    # given a configured endpoint
    # when a client asks for discovery in JSON
    response = client.get(BASE + "discovery.json")
    # then it gets an object with the endpoint, its changeset and both MIME types
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(body)
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert endpoint["type"] in {"production", "test"}


def test_discovery_xml_lists_endpoints_and_formats(client, service):
    # when discovery is asked in XML
    root = xml(client.get(BASE + "discovery.xml"))
    # then the root is <discovery> with endpoints/endpoint/formats/format
    assert root.tag == "discovery"
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert [f.text for f in endpoint.findall("formats/format")] == [
        "text/xml",
        "application/json",
    ]
    assert root.findtext("changeset")


def test_service_list_json_is_a_top_level_array(client, service, plain_service):
    # when the service list is asked in JSON
    response = client.get(BASE + "services.json")
    # then each service carries the spec's fields, metadata telling whether attributes exist
    assert response.status_code == 200
    services = {row["service_code"]: row for row in response.json()}
    assert services["spkt-antrian"] == {
        "service_code": "spkt-antrian",
        "service_name": "Antrian SPKT",
        "description": "Keluhan antrian",
        "metadata": True,
        "type": "realtime",
        "keywords": "antri, loket",
        "group": "kepolisian",
    }
    assert services["spkt-umum"]["metadata"] is False


def test_service_list_xml(client, service, plain_service):
    # when the service list is asked in XML
    root = xml(client.get(BASE + "services.xml"))
    # then it is services/service with booleans in lower case
    assert root.tag == "services"
    rows = {fields(s)["service_code"]: fields(s) for s in root.findall("service")}
    assert rows["spkt-antrian"]["metadata"] == "true"
    assert rows["spkt-umum"]["metadata"] == "false"
    assert rows["spkt-antrian"]["type"] == "realtime"


def test_inactive_services_are_not_listed(client, service, spkt):
    # given an inactive service
    make_definition(spkt, "lama", is_active=False)
    # when the list is read, then it is absent, and its definition is not found
    assert "lama" not in [row["service_code"] for row in client.get(BASE + "services.json").json()]
    assert client.get(BASE + "services/lama.json").status_code == 404


def test_jurisdiction_filters_by_organisation(client, service, other_service, dpmptsp):
    # given services of two organisations
    # when the list is asked for the DPMPTSP's jurisdiction
    response = client.get(BASE + "services.json", {"jurisdiction_id": dpmptsp.organisation.slug})
    # then only its services come back
    assert [row["service_code"] for row in response.json()] == ["pbg"]


def test_empty_jurisdiction_is_treated_as_absent(client, service, other_service):
    # when a client sends jurisdiction_id= (as the open311 1.1 client always does)
    response = client.get(BASE + "services.xml", {"jurisdiction_id": ""})
    # then every service is listed
    assert response.status_code == 200
    assert len(xml(response).findall("service")) == 2


def test_unknown_jurisdiction_is_404_in_the_asked_format(client, service):
    # when a jurisdiction nobody has is asked
    json_response = client.get(BASE + "services.json", {"jurisdiction_id": "nowhere.example"})
    xml_response = client.get(BASE + "services.xml", {"jurisdiction_id": "nowhere.example"})
    # then both formats answer 404 with the Open311 error list
    assert json_response.status_code == 404
    assert json_response.json()[0]["code"] == 404
    assert json_response.json()[0]["description"]
    assert xml_response.status_code == 404
    error = xml(xml_response).find("error")
    assert error.findtext("code") == "404"


def test_service_definition_json(client, service):
    # when the definition is asked in JSON
    response = client.get(BASE + "services/spkt-antrian.json")
    # then it is an object with the attributes in order, list values as key/name pairs
    assert response.status_code == 200
    body = response.json()
    assert body["service_code"] == "spkt-antrian"
    codes = [a["code"] for a in body["attributes"]]
    assert codes == ["masalah", "hari", "jumlah", "info"]
    masalah = body["attributes"][0]
    assert masalah == {
        "variable": True,
        "code": "masalah",
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": "",
        "order": 1,
        "description": "Apa masalahnya?",
        "values": [
            {"key": "lama", "name": "Antrian lama"},
            {"key": "tutup", "name": "Loket tutup"},
        ],
    }
    assert body["attributes"][3]["variable"] is False
    assert "values" not in body["attributes"][2]


def test_service_definition_xml(client, service):
    # when the definition is asked in XML
    root = xml(client.get(BASE + "services/spkt-antrian.xml"))
    # then service_definition/attributes/attribute/values/value carry the same data
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "spkt-antrian"
    first = root.find("attributes/attribute")
    assert first.findtext("required") == "true"
    assert first.findtext("order") == "1"
    assert [v.findtext("key") for v in first.findall("values/value")] == ["lama", "tutup"]


def test_singular_alias_serves_the_definition(client, service):
    # when the open311 1.1 client asks service/{code}.xml (off-spec singular)
    response = client.get(BASE + "service/spkt-antrian.xml")
    # then it gets the same definition
    assert response.status_code == 200
    assert xml(response).findtext("service_code") == "spkt-antrian"


def test_unknown_service_code_is_404(client, service):
    response = client.get(BASE + "services/nope.json")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


def test_unknown_format_is_a_400_in_xml(client, service):
    # when a client asks for a format the server does not speak
    response = client.get(BASE + "services.yaml")
    # then it gets the error in XML, the format every server must speak
    assert response.status_code == 400
    assert xml(response).find("error/code").text == "400"


def test_double_slash_from_a_joined_base_still_resolves(client, service):
    # when a client joins a base ending in "/" with "/services.xml"
    response = client.get(BASE + "/services.xml")
    # then the list is served
    assert response.status_code == 200


def test_post_to_a_read_only_resource_is_405_with_an_open311_error(client, service):
    response = client.post(BASE + "services.json", {})
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json()[0]["code"] == 405


def test_service_list_reads_a_fixed_number_of_queries(
    client, service, spkt, django_assert_max_num_queries
):
    # given many services, each with an attribute
    for n in range(10):
        make_definition(spkt, f"svc-{n}").attributes.create(code="a", order=1, description="?")
    # when the list is read, the queries do not grow with the services
    with django_assert_max_num_queries(2):
        response = client.get(BASE + "services.json")
    assert len(response.json()) == 11
