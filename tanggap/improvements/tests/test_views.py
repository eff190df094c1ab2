"""Staff screens over HTTP: scoping (another unit's object is 404), forms and refusals."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tanggap.cases.choices import CaseStatus, EventKind
from tanggap.improvements import selectors
from tanggap.improvements.models import ActionCase, Evidence, IncidentCase
from tanggap.improvements.services import (
    action_case_link,
    evidence_add,
    incident_cases_link,
    milestone_add,
)
from tanggap.intake.tests.factories import clean_jpeg, jpeg_bytes

from .conftest import new_case

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def foreign(other_officer):
    """A client of its own, signed in as an officer of another organisation."""
    return login(Client(), other_officer)


def test_another_units_action_and_incident_are_404(foreign, action, incident, spkt, supervisor):
    # given an action, an incident and a case of SPKT, and an officer of DPMPTSP
    case = new_case(spkt)
    milestone = milestone_add(action=action, by=supervisor, title="Jadwal piket")
    gets = [
        reverse("improvements:action_detail", args=[action.pk]),
        reverse("improvements:action_edit", args=[action.pk]),
        reverse("improvements:incident_detail", args=[incident.pk]),
        reverse("improvements:case_link", args=[case.pk]),
        reverse("improvements:evidence_file", args=[action.pk, 1]),
    ]
    posts = [
        reverse("improvements:action_progress", args=[action.pk]),
        reverse("improvements:action_case_link", args=[action.pk]),
        reverse("improvements:action_publish", args=[action.pk]),
        reverse("improvements:milestone_add", args=[action.pk]),
        reverse("improvements:milestone_done", args=[action.pk, milestone.pk]),
        reverse("improvements:action_finding", args=[action.pk]),
        reverse("improvements:evidence_add", args=[action.pk]),
        reverse("improvements:incident_link", args=[incident.pk]),
        reverse("improvements:incident_update", args=[incident.pk]),
        reverse("improvements:incident_close", args=[incident.pk]),
    ]
    # then every page and every form answers 404, never 403
    for url in gets:
        assert foreign.get(url).status_code == 404, url
    for url in posts:
        assert foreign.post(url, {"reference": case.reference}).status_code == 404, url
    assert not ActionCase.objects.exists() and not IncidentCase.objects.exists()
    milestone.refresh_from_db()
    assert milestone.done_at is None


def test_an_auditor_reads_but_cannot_link(client, auditor, action, spkt):
    case = new_case(spkt)
    client = login(client, auditor)
    assert client.get(reverse("improvements:action_detail", args=[action.pk])).status_code == 200
    url = reverse("improvements:action_case_link", args=[action.pk])
    assert client.post(url, {"reference": case.reference}).status_code == 404
    assert not ActionCase.objects.exists()


def test_the_lists_show_only_the_users_units(foreign, action, incident):
    assert action.title not in foreign.get(reverse("improvements:action_list")).content.decode()
    assert incident.title not in foreign.get(reverse("improvements:incident_list")).content.decode()


def test_an_officer_links_a_case_by_tracking_code(client, officer, action, spkt):
    # given a case of the unit
    case = new_case(spkt)
    code = case.reports.get().tracking_code
    # when the officer posts its tracking code in lower case
    response = login(client, officer).post(
        reverse("improvements:action_case_link", args=[action.pk]), {"reference": code.lower()}
    )
    # then the case is linked
    assert response.status_code == 302
    assert ActionCase.objects.filter(action=action, case=case).exists()


def test_an_unknown_reference_is_a_translated_error(client, officer, action):
    response = login(client, officer).post(
        reverse("improvements:action_case_link", args=[action.pk]), {"reference": "TGP-0000-0000"}
    )
    assert response.status_code == 400
    with translation.override("id"):
        expected = gettext("None of your units' cases has this reference or code.")
    assert expected.replace("'", "&#x27;") in response.content.decode()
    assert not ActionCase.objects.exists()


def test_bad_progress_is_refused_and_changes_nothing(client, supervisor, action):
    response = login(client, supervisor).post(
        reverse("improvements:action_progress", args=[action.pk]),
        {"status": "in_progress", "progress": "150", "message": "Sudah berjalan."},
    )
    assert response.status_code == 400
    assert response.context["forms"]["progress"].errors["progress"]
    action.refresh_from_db()
    assert action.progress == 0 and not action.updates.exists()


def test_an_officer_may_not_manage_an_action(client, officer, action):
    # officers link cases; changing the action is for supervisors
    response = login(client, officer).post(
        reverse("improvements:action_progress", args=[action.pk]),
        {"status": "done", "progress": "100", "message": "Selesai dikerjakan."},
    )
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == "planned"


def test_evidence_that_is_not_a_photo_or_pdf_is_refused(client, supervisor, action):
    # when a supervisor uploads a script disguised as a photo
    upload = SimpleUploadedFile("foto.jpg", b"<script>alert(1)</script>", "image/jpeg")
    response = login(client, supervisor).post(
        reverse("improvements:evidence_add", args=[action.pk]),
        {"stage": "before", "caption": "Antrean pagi", "file": upload},
    )
    # then the upload check's message is shown and nothing is stored
    assert response.status_code == 400
    with translation.override("id"):
        expected = gettext("“%(name)s” is not a photo (JPEG, PNG, WebP) or a PDF.") % {
            "name": "foto.jpg"
        }
    assert expected in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_is_added_and_streamed_to_staff(client, supervisor, action):
    upload = SimpleUploadedFile("antrean.jpg", jpeg_bytes(gps=True), "image/jpeg")
    client = login(client, supervisor)
    response = client.post(
        reverse("improvements:evidence_add", args=[action.pk]),
        {"stage": "before", "caption": "Antrean pagi", "file": upload},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    response = client.get(reverse("improvements:evidence_file", args=[action.pk, evidence.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_incident_page_finds_open_cases_and_links_the_ticked_ones(
    client, officer, incident, spkt, dpmptsp
):
    # given two open cases mentioning the queue machine, and one of another unit
    matching = [
        new_case(spkt, description=f"Mesin antrean mati lagi hari ini ({n}).") for n in (1, 2)
    ]
    new_case(spkt, description="Petugas parkir meminta uang tambahan di depan kantor.")
    foreign = new_case(dpmptsp, description="Mesin antrean mati di kantor perizinan.")
    client = login(client, officer)
    url = reverse("improvements:incident_detail", args=[incident.pk])
    # when the officer searches
    response = client.get(url, {"q": "mesin antrean"})
    # then only the unit's matching open cases are offered
    assert {c.pk for c in response.context["candidates"]} == {c.pk for c in matching}
    # when they tick a case of another unit among them, nothing is linked
    link = reverse("improvements:incident_link", args=[incident.pk])
    assert client.post(link, {"cases": [matching[0].pk, foreign.pk]}).status_code == 404
    assert not IncidentCase.objects.exists()
    # when they tick nothing, a translated error is shown
    response = client.post(link, {})
    assert response.status_code == 400 and response.context["forms"]["link"].errors
    # when they tick the two matching cases, both are linked
    assert client.post(link, {"cases": [c.pk for c in matching]}).status_code == 302
    assert IncidentCase.objects.filter(incident=incident).count() == 2


def test_closing_from_the_page_shows_each_outcome(
    client, supervisor, officer, incident, spkt, django_capture_on_commit_callbacks
):
    case = new_case(spkt)
    incident_cases_link(incident=incident, cases=[case], by=officer)
    client = login(client, supervisor)
    close = reverse("improvements:incident_close", args=[incident.pk])
    # without the confirmation box nothing happens
    response = client.post(close, {"message": "Sistem antrean sudah normal kembali."})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    # with it, the case is resolved and the page says so
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            close, {"message": "Sistem antrean sudah normal kembali.", "confirm": "on"}
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED
    page = client.get(reverse("improvements:incident_detail", args=[incident.pk]))
    assert page.context["links"][0].outcome == "closed"


def test_the_case_page_link_joins_an_action(client, officer, action, incident, spkt):
    case = new_case(spkt)
    client = login(client, officer)
    url = reverse("improvements:case_link", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200 and action in page.context["actions"]
    # a target that is not offered is refused
    assert client.post(url, {"target": "action:999"}).status_code == 400
    assert client.post(url, {"target": f"incident:{incident.pk}"}).status_code == 302
    assert client.post(url, {"target": f"action:{action.pk}"}).status_code == 302
    assert ActionCase.objects.filter(case=case).exists()
    assert IncidentCase.objects.filter(case=case).exists()


def test_list_selectors_read_in_one_query(
    supervisor, action, incident, spkt, officer, django_assert_num_queries
):
    for _n in range(3):
        incident_cases_link(incident=incident, cases=[new_case(spkt)], by=officer)
    # units_for reads the memberships, then one query for the rows with their counts
    with django_assert_num_queries(2):
        assert len(selectors.action_list(user=supervisor)) == 1
    with django_assert_num_queries(2):
        assert selectors.incident_list(user=supervisor)[0].case_count == 3
    with django_assert_num_queries(1):
        selectors.published_actions()


def test_a_mistaken_link_is_removed_with_an_internal_note(
    client, supervisor, officer, action, incident, spkt, foreign
):
    # given a case linked to the action and to the incident
    case = new_case(spkt)
    action_case_link(action=action, case=case, by=officer)
    incident_cases_link(incident=incident, cases=[case], by=officer)
    unlink_action = reverse("improvements:action_case_unlink", args=[action.pk, case.pk])
    unlink_incident = reverse("improvements:incident_unlink", args=[incident.pk, case.pk])
    # another unit's officer cannot remove them
    assert foreign.post(unlink_action).status_code == 404
    assert foreign.post(unlink_incident).status_code == 404
    # when the supervisor removes them
    client = login(client, supervisor)
    assert client.post(unlink_action).status_code == 302
    assert client.post(unlink_incident).status_code == 302
    # then the links are gone, and the case keeps two internal notes of it
    assert not ActionCase.objects.exists() and not IncidentCase.objects.exists()
    notes = case.events.filter(kind=EventKind.NOTE, is_public=False)
    assert notes.count() == 2
    # and removing again is a 404
    assert client.post(unlink_action).status_code == 404


def test_evidence_is_deleted_by_a_supervisor_only(client, supervisor, officer, action):
    evidence = evidence_add(
        action=action, by=supervisor, stage="after", caption="Loket baru", file=clean_jpeg()
    )
    url = reverse("improvements:evidence_remove", args=[action.pk, evidence.pk])
    assert login(client, officer).post(url).status_code == 404
    assert Evidence.objects.exists()
    assert login(client, supervisor).post(url).status_code == 302
    assert not Evidence.objects.exists()
