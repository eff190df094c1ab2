"""The admin configures units in Indonesian and links each unit's form and QR code."""

import pytest

from tanggap.accounts.tests.factories import CounterFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_unit_and_counter_lists_link_the_public_form_and_qr_code(client):
    unit = UnitFactory(slug="spkt-contoh")
    CounterFactory(unit=unit, code="loket-1")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    units = client.get("/admin/accounts/unit/").content.decode()
    counters = client.get("/admin/accounts/counter/").content.decode()

    assert "/lapor/u/spkt-contoh/" in units and "/lapor/qr/unit/spkt-contoh.svg" in units
    assert "/lapor/loket/loket-1/" in counters and "/lapor/qr/counter/loket-1.svg" in counters
    assert "Kode QR" in units and "Unit" in units


def test_a_unit_with_bad_weekdays_is_refused_in_the_admin(client):
    unit = UnitFactory()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    response = client.post(
        f"/admin/accounts/unit/{unit.pk}/change/",
        {
            "organisation": unit.organisation_id,
            "name": unit.name,
            "slug": unit.slug,
            "time_zone": "Asia/Jakarta",
            "working_weekdays": "0,1,9",
            "accepts_reports": "on",
            "services-TOTAL_FORMS": 0,
            "services-INITIAL_FORMS": 0,
            "counters-TOTAL_FORMS": 0,
            "counters-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 200
    unit.refresh_from_db()
    assert unit.working_weekdays == "0,1,2,3,4"


def test_counter_list_links_the_survey_and_kiosk(client):
    CounterFactory(code="loket-2")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    html = client.get("/admin/accounts/counter/").content.decode()

    assert "/skm/loket/loket-2/" in html and "/skm/kiosk/loket-2/" in html
    assert "/lapor/qr/skm-counter/loket-2.svg" in html
