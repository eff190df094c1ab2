"""The portal's pages through the test client: staff publishing and the public pages."""

import pytest
from django.urls import reverse
from django.utils import translation

from tanggap.cases.choices import EventKind
from tanggap.intake.tests.factories import submit_report
from tanggap.portal import selectors
from tanggap.portal.models import Follower

from .conftest import NAME, NIK, PHONE, STREET, publish_case

pytestmark = pytest.mark.django_db


def test_preview_highlights_identifiers_and_proposes_masked_text(client, officer, pii_report):
    # given an officer on the publishing page of a report full of identifiers
    client.force_login(officer)
    response = client.get(reverse("publishing:publish", args=[pii_report.case.pk]))
    # then the source shows the found spans, and the draft is masked
    page = response.content.decode()
    assert response.status_code == 200
    assert '<mark class="pii pii-nik">' + NIK in page
    form = response.context["form"]
    assert NIK not in form.initial["text"] and "[NIK]" in form.initial["text"]
    assert "[NAMA]" in form.initial["text"] and "[ALAMAT]" in form.initial["text"]


def test_other_units_officer_gets_404(client, other_officer, pii_report):
    client.force_login(other_officer)
    url = reverse("publishing:publish", args=[pii_report.case.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "publish"}).status_code == 404
    withdraw = reverse("publishing:withdraw", args=[pii_report.case.pk])
    assert client.post(withdraw, {"reason": "x" * 20}).status_code == 404


def test_anonymous_is_sent_to_login(client, pii_report):
    response = client.get(reverse("publishing:publish", args=[pii_report.case.pk]))
    assert response.status_code == 302 and "/petugas/" in response["Location"]


def test_mask_more_then_publish_then_confirm(client, officer, pii_report):
    client.force_login(officer)
    url = reverse("publishing:publish", args=[pii_report.case.pk])
    # when the officer asks to mask a shop name too
    data = {"title": "Parkir", "text": "Di depan Toko Sumber Rejeki ada mobil", "reply": ""}
    response = client.post(url, {**data, "extra": "toko sumber rejeki", "action": "mask"})
    # then the draft comes back with it masked, and nothing is published
    assert response.context["form"].initial["text"] == "Di depan [DISAMARKAN] ada mobil"
    assert not selectors.published().exists()
    # when the officer types a phone number back and publishes
    response = client.post(url, {**data, "text": f"hubungi {PHONE}", "action": "publish"})
    # then a confirmation is asked, listing what remains
    assert response.status_code == 400
    assert response.context["remaining"] == [("phone", PHONE)]
    assert not selectors.published().exists()
    # when confirmed
    response = client.post(
        url, {**data, "text": f"hubungi {PHONE}", "action": "publish", "confirm": "on"}
    )
    # then it is published
    assert response.status_code == 302
    assert selectors.published().get().text == f"hubungi {PHONE}"


def test_confidential_case_page_has_no_form_and_post_is_refused(client, officer, confidential):
    client.force_login(officer)
    url = reverse("publishing:publish", args=[confidential.case.pk])
    response = client.get(url)
    assert response.context["confidential"] and b'name="action"' not in response.content
    data = {"title": "t", "text": "isi", "action": "publish", "confirm": "on"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert not selectors.published().exists()


def test_withdraw_from_the_staff_page(client, officer, published):
    client.force_login(officer)
    url = reverse("publishing:withdraw", args=[published.case.pk])
    assert client.post(url, {"reason": "pendek"}).status_code == 400
    assert client.post(url, {"reason": "Pelapor minta ditarik"}).status_code == 302
    assert not selectors.published().exists()
    assert published.case.events.filter(kind=EventKind.UNPUBLISHED).count() == 1


def test_public_pages_show_the_published_case(client, published):
    reference = published.case.reference
    for name, args in [("portal:landing", []), ("portal:list", []), ("portal:map", [])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200
        assert reference.encode() in response.content
    detail = client.get(reverse("portal:detail", args=[reference]))
    page = detail.content.decode()
    assert published.text in page.replace("&#x27;", "'")
    assert NIK not in page and NAME not in page and STREET not in page


def test_list_filters_and_search(client, published, dpmptsp):
    url = reverse("portal:list")
    reference = published.case.reference.encode()
    assert reference in client.get(url, {"q": "trotoar"}).content
    assert reference not in client.get(url, {"q": "banjir"}).content
    assert reference in client.get(url, {"status": "open", "unit": published.case.unit_id}).content
    assert reference not in client.get(url, {"status": "closed"}).content
    # unknown filter values are ignored, not an error
    assert client.get(url, {"unit": "abc", "status": "zzz", "page": "99"}).status_code == 200


def test_list_is_a_fixed_number_of_queries(client, published, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get(reverse("portal:list"))


def test_map_data_is_geojson_of_rounded_points(client, published):
    data = client.get(reverse("portal:map_data")).json()
    [feature] = data["features"]
    assert feature["geometry"]["coordinates"] == [112.752, -7.257]
    assert feature["properties"]["reference"] == published.case.reference


def test_map_page_allows_the_tile_server_and_works_without_tiles(client, published, settings):
    settings.PORTAL_MAP_TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
    response = client.get(reverse("portal:map"))
    assert "https://tiles.example.org" in response["Content-Security-Policy"]
    assert b"leaflet.js" in response.content
    settings.PORTAL_MAP_TILES = ""
    response = client.get(reverse("portal:map"))
    assert b"leaflet.js" not in response.content
    assert published.case.reference.encode() in response.content


def test_feed_lists_masked_publications(client, published):
    response = client.get(reverse("portal:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    assert published.case.reference.encode() in response.content
    assert NIK.encode() not in response.content


def test_unknown_and_unpublished_references_are_404(client, pii_report):
    assert client.get(reverse("portal:detail", args=[pii_report.case.reference])).status_code == 404
    assert client.get(reverse("portal:detail", args=["TGP-0000-0000"])).status_code == 404


def test_follow_form_then_confirm_and_unsubscribe_links(
    client, published, django_capture_on_commit_callbacks, mailoutbox
):
    url = reverse("portal:detail", args=[published.case.reference])
    assert client.post(url, {"email": "bukan"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "pengikut@example.net"})
    assert response.status_code == 302
    link = next(line for line in mailoutbox[0].body.splitlines() if "/ikuti/konfirmasi/" in line)
    path = link[link.index("/transparansi/") :]
    # a GET only shows the button; the POST confirms
    assert client.get(path).status_code == 200
    assert Follower.objects.get().confirmed_at is None
    assert client.post(path).status_code == 200
    assert Follower.objects.get().confirmed_at is not None
    assert client.post(path[:-3] + "xx/").status_code == 400


def test_public_pages_in_english(client, published):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("portal:landing"))
    with translation.override("en"):
        heading = translation.gettext("You spoke, we acted")
    assert heading in response.content.decode()


def test_map_data_and_feed_are_a_fixed_number_of_queries(
    client, published, spkt, officer, django_assert_max_num_queries
):
    # given several published cases
    for n in range(3):
        report = submit_report(spkt, title=f"Lampu padam {n}", description="Lampu padam.").report
        publish_case(report.case, officer)
    # when the exports are read, then the queries do not grow with the cases
    with django_assert_max_num_queries(4):
        assert len(client.get(reverse("portal:map_data")).json()["features"]) == 1
    with django_assert_max_num_queries(4):
        assert client.get(reverse("portal:feed")).content.count(b"<entry>") == 4


def test_the_landing_page_leads_to_the_statistics_and_the_improvement_actions(client):
    page = client.get(reverse("portal:landing")).content.decode()

    assert f'href="{reverse("stats:index")}"' in page
    assert f'href="{reverse("actions:list")}"' in page
