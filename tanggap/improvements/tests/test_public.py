"""The public action pages: published actions only, counts and never a case's words."""

import pytest
from django.urls import reverse

from tanggap.improvements.services import (
    action_case_link,
    action_progress_set,
    action_publish,
    evidence_add,
    milestone_add,
)
from tanggap.intake.tests.factories import clean_jpeg, submit_report

pytestmark = pytest.mark.django_db

SECRET = "Oknum petugas Bripka Susanto meminta uang Rp 500.000 di ruang belakang."


def test_an_unpublished_action_is_not_public(client, action, supervisor):
    evidence = evidence_add(
        action=action, by=supervisor, stage="before", caption="Antrean pagi", file=clean_jpeg()
    )
    assert client.get(reverse("actions:detail", args=[action.pk])).status_code == 404
    assert client.get(reverse("actions:evidence", args=[action.pk, evidence.pk])).status_code == 404
    assert action.title not in client.get(reverse("actions:list")).content.decode()


def test_the_public_page_never_shows_a_confidential_case(client, action, spkt, officer, supervisor):
    # given a published action linked to a confidential report and an ordinary one
    confidential = submit_report(
        spkt, title="Pungli di loket SKCK", description=SECRET, is_confidential=True
    ).report
    ordinary = submit_report(spkt, title="Loket SKCK telat buka").report
    for report in (confidential, ordinary):
        action_case_link(action=action, case=report.case, by=officer)
    milestone_add(action=action, by=supervisor, title="Jadwal piket baru")
    action_progress_set(
        action=action,
        by=supervisor,
        status="in_progress",
        progress=30,
        message="Jadwal piket baru berlaku mulai Senin.",
    )
    evidence = evidence_add(
        action=action, by=supervisor, stage="after", caption="Loket buka 08.00", file=clean_jpeg()
    )
    action_publish(action=action, by=supervisor, publish=True)
    # when anyone opens the public page
    page = client.get(reverse("actions:detail", args=[action.pk]))
    text = page.content.decode()
    # then it shows the action, its progress and how many reports led to it
    assert page.status_code == 200
    assert action.title in text and "Jadwal piket baru" in text and "30%" in text
    assert page.context["counts"]["total"] == 2
    # and nothing of any case: no reference, tracking code, title or text
    for report in (confidential, ordinary):
        for words in (report.case.reference, report.tracking_code, report.title):
            assert words not in text
    assert "Susanto" not in text and "500.000" not in text
    # and the list counts the reports too
    listing = client.get(reverse("actions:list")).content.decode()
    assert action.title in listing and "Pungli" not in listing
    # and the evidence is served with a policy that runs nothing
    photo = client.get(reverse("actions:evidence", args=[action.pk, evidence.pk]))
    assert photo.status_code == 200 and "sandbox" in photo["Content-Security-Policy"]
