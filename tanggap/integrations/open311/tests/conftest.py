"""Open311 fixtures: a service of the SPKT with attributes, keys, and an XML reader."""

from xml.etree import ElementTree as ET  # noqa: S405 - parses our own answers in tests

import pytest

from tanggap.cases.choices import ReportKind
from tanggap.integrations.open311.choices import Datatype
from tanggap.integrations.open311.models import ServiceAttribute, ServiceDefinition
from tanggap.integrations.open311.services import api_key_issue

BASE = "/open311/v2/"


def make_definition(unit, code, **fields) -> ServiceDefinition:
    """Create a service definition (configuration, as the admin would)."""
    defaults = {"name": f"Layanan {code}", "kind": ReportKind.COMPLAINT}
    defaults.update(fields)
    return ServiceDefinition.objects.create(service_code=code, unit=unit, **defaults)


@pytest.fixture
def service(spkt):
    """A published SPKT service with a required list, a multi-list, a number and a notice."""
    definition = make_definition(
        spkt,
        "spkt-antrian",
        name="Antrian SPKT",
        description="Keluhan antrian",
        keywords="antri, loket",
        group="kepolisian",
        service=spkt.services.first(),
        publish_details=True,
        service_notice="Dijawab dalam 24 jam.",
    )
    rows = [
        ("masalah", Datatype.SINGLEVALUELIST, True, "Apa masalahnya?",
         [{"key": "lama", "name": "Antrian lama"}, {"key": "tutup", "name": "Loket tutup"}]),
        ("hari", Datatype.MULTIVALUELIST, False, "Hari apa saja?",
         [{"key": "sen", "name": "Senin"}, {"key": "sel", "name": "Selasa"}]),
        ("jumlah", Datatype.NUMBER, False, "Berapa orang mengantri?", []),
    ]  # fmt: skip
    for order, (code, datatype, required, question, values) in enumerate(rows, 1):
        ServiceAttribute.objects.create(
            definition=definition,
            code=code,
            order=order,
            datatype=datatype,
            required=required,
            description=question,
            values=values,
        )
    ServiceAttribute.objects.create(
        definition=definition, code="info", order=4, variable=False, description="Bawa KTP."
    )
    return definition


@pytest.fixture
def plain_service(spkt):
    """An SPKT service without attributes that keeps its text private (the default)."""
    return make_definition(spkt, "spkt-umum", name="Pengaduan umum")


@pytest.fixture
def other_service(dpmptsp):
    """A service of a unit in another organisation."""
    return make_definition(dpmptsp, "pbg", name="PBG", publish_details=True)


@pytest.fixture
def key(spkt):
    """The raw text of an API key for the SPKT."""
    return api_key_issue(name="Aplikasi warga", unit=spkt).raw


def xml(response) -> ET.Element:
    """Parse an XML answer for real, checking its declaration and content type."""
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    body = response.content
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(body)  # noqa: S314 - our own answer


def fields(element: ET.Element) -> dict[str, str | None]:
    """Return the child elements' text by tag."""
    return {child.tag: child.text for child in element}


def valid_post(service_code="spkt-antrian", **extra) -> dict:
    """Return a valid submission to the fixture service."""
    data = {
        "service_code": service_code,
        "lat": "-7.265150",
        "long": "112.742700",
        "address_string": "Jl. Bhayangkara No. 1",
        "description": "Antrian sangat lama, loket 2 tutup.",
        "attribute[masalah]": "lama",
    }
    data.update(extra)
    return data
