"""JSON and XML rendering: arrays, absent fields, safe XML from hostile text."""

from xml.etree import ElementTree as ET  # noqa: S405 - parses our own output in tests

from tanggap.integrations.open311.formats import render_errors, to_json, to_xml


def test_json_list_is_a_top_level_array_without_absent_fields():
    assert to_json([{"a": "1", "b": None}]) == '[{"a": "1"}]'


def test_xml_wraps_list_items_and_nested_lists():
    text = to_xml("services", [{"service_code": "1", "metadata": True}])
    root = ET.fromstring(text)  # noqa: S314
    assert root.find("service/metadata").text == "true"
    definition = ET.fromstring(  # noqa: S314
        to_xml("service_definition", {"attributes": [{"values": [{"key": "k", "name": "n"}]}]})
    )
    assert definition.find("attributes/attribute/values/value/key").text == "k"


def test_hostile_text_stays_well_formed_xml():
    # given text with markup, an entity trick and characters XML 1.0 forbids
    hostile = '<script>alert("x")</script> &amp; ]]> \x00\x07\x1b ok \ufffe'
    # when rendered
    text = to_xml("service_requests", [{"description": hostile}])
    # then it parses, and the text comes back as text, without the forbidden characters
    root = ET.fromstring(text)  # noqa: S314
    assert root.find("request/description").text == ('<script>alert("x")</script> &amp; ]]>  ok ')
    assert "<script>" not in text


def test_error_list_in_both_formats():
    json_response = render_errors("json", 403, [(403, "Invalid api_key")])
    assert json_response.status_code == 403
    assert json_response.content == b'[{"code": 403, "description": "Invalid api_key"}]'
    xml_response = render_errors("xml", 400, [(400, "a"), (413, "b")])
    root = ET.fromstring(xml_response.content)  # noqa: S314
    assert [e.findtext("code") for e in root.findall("error")] == ["400", "413"]
