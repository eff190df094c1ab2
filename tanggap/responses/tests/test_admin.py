"""The admin of reply settings and templates: scoped to the units a user administers."""

import pytest
from django.contrib.auth.models import Permission

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UnitFactory, UserFactory
from tanggap.responses.models import ReplySettings, ReplyTemplate
from tanggap.responses.tests.factories import ReplySettingsFactory, ReplyTemplateFactory

pytestmark = pytest.mark.django_db


def unit_admin(unit, username="admin_unit"):
    user = UserFactory(username=username, is_staff=True)
    MembershipFactory(user=user, unit=unit, role=Role.UNIT_ADMIN)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="responses"))
    return user


def template_form(for_unit, **fields):
    data = {
        "organisation": for_unit.organisation_id,
        "unit": for_unit.pk,
        "name": "Jawaban umum",
        "body": "Laporan {kode} telah kami tindak lanjuti.",
        "is_active": "on",
    }
    return data | fields


def test_a_unit_administrator_sees_only_their_units_settings_and_templates(client, spkt, dpmptsp):
    ReplySettingsFactory(unit=spkt, number_code="SPKT-A")
    ReplySettingsFactory(unit=dpmptsp, number_code="DPM-B")
    ReplyTemplateFactory(unit=spkt, name="Templat SPKT")
    ReplyTemplateFactory(unit=dpmptsp, name="Templat DPMPTSP")
    client.force_login(unit_admin(spkt))

    settings = client.get("/admin/responses/replysettings/").content.decode()
    templates = client.get("/admin/responses/replytemplate/").content.decode()

    assert "SPKT Polres Contoh" in settings and "DPMPTSP Kota Contoh" not in settings
    assert "Templat SPKT" in templates and "Templat DPMPTSP" not in templates


def test_a_template_with_an_unknown_placeholder_is_refused(client, spkt):
    client.force_login(unit_admin(spkt))

    response = client.post(
        "/admin/responses/replytemplate/add/",
        template_form(spkt, body="Yth. {nama}, laporan {kode} selesai."),
    )

    assert response.status_code == 200 and "{nama}" in response.content.decode()
    assert not ReplyTemplate.objects.exists()


def test_the_administrator_of_a_top_unit_may_write_organisation_wide_templates(client, spkt):
    client.force_login(unit_admin(spkt))

    response = client.post("/admin/responses/replytemplate/add/", template_form(spkt, unit=""))

    assert response.status_code == 302
    assert ReplyTemplate.objects.get().unit is None


def test_the_administrator_of_a_sub_unit_may_not(client, spkt):
    child = UnitFactory(organisation=spkt.organisation, parent=spkt, name="Pos Pelayanan")
    client.force_login(unit_admin(child))

    response = client.post("/admin/responses/replytemplate/add/", template_form(child, unit=""))

    assert response.status_code == 200 and not ReplyTemplate.objects.exists()


def test_a_number_format_without_the_sequence_is_refused(client, spkt):
    client.force_login(unit_admin(spkt))

    response = client.post(
        "/admin/responses/replysettings/add/",
        {"unit": spkt.pk, "number_format": "{unit}/{year}", "sequence_digits": 3},
    )

    assert response.status_code == 200
    assert not ReplySettings.objects.exists()
