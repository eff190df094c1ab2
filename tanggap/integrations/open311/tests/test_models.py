"""Checks the admin runs on services and attributes before saving them."""

import pytest
from django.core.exceptions import ValidationError

from tanggap.integrations.open311.choices import Datatype
from tanggap.integrations.open311.models import ServiceAttribute, ServiceDefinition

from .conftest import make_definition

pytestmark = pytest.mark.django_db


def attribute(definition, **fields):
    values = {"code": "a", "order": 1, "description": "?", "definition": definition}
    values.update(fields)
    return ServiceAttribute(**values)


@pytest.mark.parametrize(
    "fields",
    [
        {"datatype": Datatype.SINGLEVALUELIST, "values": []},
        {"datatype": Datatype.MULTIVALUELIST, "values": [{"key": "a"}]},
        {"datatype": Datatype.SINGLEVALUELIST, "values": [{"key": "", "name": "x"}]},
        {
            "datatype": Datatype.SINGLEVALUELIST,
            "values": [{"key": "a", "name": "x"}, {"key": "a", "name": "y"}],
        },
        {"datatype": Datatype.STRING, "values": [{"key": "a", "name": "x"}]},
        {"variable": False, "required": True},
        {"code": "bad code!"},
        {"order": 0},
    ],
)
def test_bad_attributes_are_refused(plain_service, fields):
    with pytest.raises(ValidationError):
        attribute(plain_service, **fields).full_clean()


def test_a_good_list_attribute_passes(plain_service):
    attribute(
        plain_service,
        datatype=Datatype.MULTIVALUELIST,
        values=[{"key": "a", "name": "A"}, {"key": "b", "name": "B"}],
    ).full_clean()


def test_service_must_belong_to_the_unit(spkt, dpmptsp):
    definition = ServiceDefinition(
        service_code="x", name="x", unit=spkt, service=dpmptsp.services.first()
    )
    with pytest.raises(ValidationError, match="service"):
        definition.full_clean()


def test_category_must_be_of_the_units_organisation(spkt, dpmptsp):
    category = dpmptsp.organisation.categories.first()
    definition = ServiceDefinition(service_code="x", name="x", unit=spkt, category=category)
    with pytest.raises(ValidationError):
        definition.full_clean()


def test_confidential_service_cannot_publish(spkt):
    definition = make_definition(spkt, "x", is_confidential=True, publish_details=True)
    with pytest.raises(ValidationError):
        definition.full_clean()
