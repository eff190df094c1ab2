"""The public lists an app builds its report form from: units, services, categories."""

import pytest

from tanggap.accounts.tests.factories import ServiceFactory, UnitFactory
from tanggap.common.tests.api_helpers import get

pytestmark = pytest.mark.django_db


def test_units_come_a_page_at_a_time_without_the_closed_ones(client, spkt, dpmptsp):
    # given three units accepting reports and one that does not
    third = UnitFactory(name="Samsat")
    UnitFactory(name="Gudang", accepts_reports=False)
    # when an app reads them two at a time
    first = get(client, "/units", limit=2).json()
    second = get(client, "/units", limit=2, cursor=first["next_cursor"]).json()
    # then the three come once each, and the last page says there is no more
    ids = [u["id"] for u in first["items"] + second["items"]]
    assert ids == [spkt.pk, dpmptsp.pk, third.pk]
    assert second["next_cursor"] is None
    assert first["items"][0]["organisation"] == spkt.organisation.name


def test_a_units_active_services_and_its_organisations_categories(client, spkt, dpmptsp):
    # given an inactive service beside the active one
    ServiceFactory(unit=spkt, name="Lama", is_active=False)
    # when an app reads the unit's services and categories
    services = get(client, f"/units/{spkt.pk}/services").json()
    categories = get(client, f"/units/{spkt.pk}/categories").json()
    # then only the active service and the unit's own organisation's category come back
    assert [s["name"] for s in services] == ["SKCK"]
    assert [c["name"] for c in categories] == ["Pelayanan petugas"]


def test_a_unit_that_does_not_accept_reports_is_not_found(client):
    # given a unit closed to public reports
    closed = UnitFactory(accepts_reports=False)
    # when its services are asked for
    response = get(client, f"/units/{closed.pk}/services")
    # then it is a 404 in the error format
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
