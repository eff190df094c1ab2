"""The inbox: due badges in words, due and "mine" filters, and the bulk actions."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from tanggap.cases import workflow
from tanggap.cases.choices import CaseStatus
from tanggap.cases.models import DeadlinePolicy
from tanggap.intake.models import Report
from tanggap.intake.tests.factories import submit_report

pytestmark = pytest.mark.django_db


def report_at(unit, ago, **kwargs):
    with time_machine.travel(timezone.now() - ago, tick=False):
        return submit_report(unit, **kwargs).report


@pytest.fixture
def three(spkt):
    """Cases of a 24-hour unit (3 days to verify): overdue, due in 12 hours, due in 3 days."""
    return {
        "overdue": report_at(spkt, timedelta(days=10), title="Lama sekali").case,
        "soon": report_at(spkt, timedelta(hours=60), title="Hampir tenggat").case,
        "on_time": submit_report(spkt, title="Baru masuk").report.case,
    }


def badges(html):
    return {state: html.count(f'data-due="{state}"') for state in ("overdue", "soon", "on_time")}


def test_each_row_says_its_due_state_in_words(client, officer, three):
    client.force_login(officer)

    response = client.get(reverse("officer:inbox"))

    html = response.content.decode()
    assert badges(html) == {"overdue": 1, "soon": 1, "on_time": 1}
    assert html.count('class="overdue"') == 1


def test_the_due_filters(client, officer, three):
    client.force_login(officer)
    inbox = reverse("officer:inbox")

    overdue = client.get(inbox, {"due": "overdue"}).context["page"].items
    soon = client.get(inbox, {"due": "soon"}).context["page"].items

    assert [c.pk for c in overdue] == [three["overdue"].pk]
    assert [c.pk for c in soon] == [three["soon"].pk]


def test_due_soon_follows_a_policys_longer_reminder_lead(client, spkt, officer):
    # given a policy reminding 60 hours ahead and a case due in 48 hours
    DeadlinePolicy.objects.create(organisation=spkt.organisation, reminder_hours=60)
    reminded = report_at(spkt, timedelta(days=1), title="Diingatkan").case
    later = submit_report(spkt, title="Masih lama").report.case
    client.force_login(officer)

    # when the inbox is filtered to cases due soon
    response = client.get(reverse("officer:inbox"), {"due": "soon"})

    # then the 48-hour case is due soon, the 72-hour one is not
    assert [c.pk for c in response.context["page"].items] == [reminded.pk]
    assert later.pk not in [c.pk for c in response.context["page"].items]


def test_a_case_waiting_for_the_reporter_is_not_overdue(client, spkt, officer):
    case = report_at(spkt, timedelta(days=40)).case
    with time_machine.travel(timezone.now() - timedelta(days=35), tick=False):
        workflow.case_request_information(
            case=case, by=officer, message="Mohon kirim nomor antrean Anda."
        )
    client.force_login(officer)

    response = client.get(reverse("officer:inbox"))

    assert 'data-due="reporter"' in response.content.decode()
    assert not client.get(reverse("officer:inbox"), {"due": "overdue"}).context["page"].items


def test_assigned_to_me(client, spkt, officer, supervisor):
    mine = submit_report(spkt).report.case
    workflow.case_assign(case=mine, by=supervisor, officer=officer)
    submit_report(spkt)
    client.force_login(officer)

    items = client.get(reverse("officer:inbox"), {"mine": "on"}).context["page"].items

    assert [c.pk for c in items] == [mine.pk]


def test_filtered_inbox_query_count_does_not_grow_with_rows(
    client, spkt, officer, django_assert_max_num_queries
):
    for n in range(10):
        report_at(spkt, timedelta(hours=60 + n))
    client.force_login(officer)

    with django_assert_max_num_queries(13):
        response = client.get(reverse("officer:inbox"), {"due": "soon"})
    assert len(response.context["page"].items) == 10


def tick(case):
    return f"{case.pk}:{case.version}"


def test_bulk_dispose_asks_for_the_unit_then_reports_each_failure(
    client, spkt, officer, supervisor, three
):
    # given three ticked cases, one changed by someone else since the inbox was shown
    client.force_login(officer)
    ticked = [tick(c) for c in three.values()]
    workflow.case_edit(case=three["soon"], by=supervisor, changes={"priority": "high"})
    bulk = reverse("officer:inbox_bulk") + "?due=&sort=due"

    # when the officer chooses "dispose", then confirms with a unit and an officer
    asked = client.post(bulk, {"action": "assign", "cases": ticked})
    done = client.post(
        bulk,
        {
            "action": "assign",
            "cases": ticked,
            "unit": spkt.pk,
            "officer": officer.pk,
            "note": "",
            "confirm": "1",
        },
    )

    # then the first step shows the cases; two are disposed, the stale one is reported
    assert asked.status_code == 200 and len(asked.context["rows"]) == 3
    assert done.status_code == 302 and done["Location"].endswith("?due=&sort=due")
    for name, case in three.items():
        case.refresh_from_db()
        expected = CaseStatus.RECEIVED if name == "soon" else CaseStatus.ASSIGNED
        assert case.status == expected, name
    notes = [str(m) for m in get_messages(done.wsgi_request)]
    assert any(three["soon"].reference in n for n in notes)


def test_bulk_dispose_without_a_unit_is_400(client, spkt, officer, three):
    client.force_login(officer)

    response = client.post(
        reverse("officer:inbox_bulk"),
        {"action": "assign", "cases": [tick(three["overdue"])], "confirm": "1"},
    )

    assert response.status_code == 400 and "unit" in response.context["form"].errors


def test_bulk_merge_keeps_the_chosen_case(client, spkt, officer, three):
    # given three ticked cases
    client.force_login(officer)
    ticked = [tick(c) for c in three.values()]
    keep = three["on_time"]

    # when the officer merges them into the newest
    asked = client.post(reverse("officer:inbox_bulk"), {"action": "merge", "cases": ticked})
    done = client.post(
        reverse("officer:inbox_bulk"),
        {"action": "merge", "cases": ticked, "into": keep.reference, "confirm": "1"},
    )

    # then the oldest was proposed, and every report now belongs to the kept case
    assert asked.context["keep"] == three["overdue"].reference
    assert done.status_code == 302
    assert Report.objects.filter(case=keep).count() == 3
    three["overdue"].refresh_from_db()
    assert three["overdue"].status == CaseStatus.ARCHIVED


def test_nothing_ticked_returns_to_the_inbox(client, officer, three):
    client.force_login(officer)

    response = client.post(reverse("officer:inbox_bulk"), {"action": "assign"})

    assert response.status_code == 302


def test_bulk_on_another_units_case_is_404(client, spkt, dpmptsp, officer, three):
    foreign = submit_report(dpmptsp).report.case
    client.force_login(officer)

    response = client.post(
        reverse("officer:inbox_bulk"),
        {"action": "assign", "cases": [tick(three["overdue"]), tick(foreign)]},
    )

    assert response.status_code == 404


def test_bulk_actions_need_the_right_to_handle(client, auditor, three):
    client.force_login(auditor)

    inbox = client.get(reverse("officer:inbox")).content.decode()
    response = client.post(
        reverse("officer:inbox_bulk"), {"action": "merge", "cases": [tick(three["overdue"])]}
    )

    assert 'name="cases"' not in inbox
    assert response.status_code == 404
