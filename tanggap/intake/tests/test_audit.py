"""The auditor's screen: maladministration flags, and the audit log as streamed CSV."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UserFactory
from tanggap.cases import workflow
from tanggap.cases.choices import FlagKind
from tanggap.cases.models import CaseEvent
from tanggap.intake.tests.factories import submit_report

pytestmark = pytest.mark.django_db


def archived_unserved(unit, supervisor):
    """Return a case archived without a reply: flagged as failure to serve."""
    case = submit_report(unit).report.case
    workflow.case_archive(case=case, by=supervisor)
    return case


def test_the_audit_screens_need_the_audit_right(client, spkt, officer):
    client.force_login(officer)
    today = timezone.localdate().isoformat()

    assert client.get(reverse("officer:audit")).status_code == 404
    log = client.get(reverse("officer:audit_log"), {"date_from": today, "date_to": today})
    assert log.status_code == 404


def test_the_auditor_sees_the_flags_of_their_units_with_a_link_to_the_case(
    client, spkt, dpmptsp, auditor, supervisor
):
    # given a flagged case here and one in another organisation
    case = archived_unserved(spkt, supervisor)
    head = UserFactory(username="kepala_dinas")
    MembershipFactory(user=head, unit=dpmptsp, role=Role.SUPERVISOR)
    foreign = archived_unserved(dpmptsp, head)
    client.force_login(auditor)

    # when the auditor opens the screen
    response = client.get(reverse("officer:audit"))

    # then only this unit's flag is listed, linking to its case
    html = response.content.decode()
    flags = response.context["page"].items
    assert [f.case_id for f in flags] == [case.pk]
    assert flags[0].kind == FlagKind.FAILURE_TO_SERVE
    assert reverse("officer:case_detail", args=[case.pk]) in html
    assert foreign.reference not in html


def test_flags_filter_by_kind_and_period(client, spkt, auditor, supervisor):
    with time_machine.travel(timezone.now() - timedelta(days=40), tick=False):
        old = archived_unserved(spkt, supervisor)
    new = archived_unserved(spkt, supervisor)
    client.force_login(auditor)
    audit = reverse("officer:audit")
    since = (timezone.localdate() - timedelta(days=7)).isoformat()

    recent = client.get(audit, {"raised_from": since}).context["page"].items
    delay = client.get(audit, {"kind": FlagKind.UNDUE_DELAY}).context["page"].items
    both = client.get(audit, {"kind": FlagKind.FAILURE_TO_SERVE}).context["page"].items

    assert [f.case_id for f in recent] == [new.pk]
    assert delay == []
    assert [f.case_id for f in both] == [new.pk, old.pk]


def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_audit_log_is_one_csv_row_per_event_with_origin_and_no_identity(
    client, spkt, officer, auditor
):
    # given a case with a public disposition and an internal note, made from an address
    spkt.time_zone = "Asia/Jayapura"
    spkt.save()
    case = submit_report(spkt, name="Budi Santoso", email="budi@example.com").report.case
    client.force_login(officer)
    client.post(
        reverse("officer:case_action", args=[case.pk, "assign"]),
        {"assign-version": case.version, "assign-unit": spkt.pk, "assign-note": ""},
        REMOTE_ADDR="203.0.113.7",
    )
    workflow.case_note_add(case=case, by=officer, text="Pelapor menelepon ke SPKT.")
    client.force_login(auditor)
    today = timezone.localdate().isoformat()

    # when the auditor downloads today's log
    response = client.get(reverse("officer:audit_log"), {"date_from": today, "date_to": today})

    # then a streamed CSV: the header, then one row per event, oldest first
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    with translation.override("id"):
        assert rows[0][0] == gettext("time") and rows[0][5] == gettext("from")
    body = rows[1:]
    events = list(CaseEvent.objects.filter(case=case).order_by("at", "id"))
    assert len(body) == len(events) >= 3
    assert [r[1] for r in body] == [case.reference] * len(events)
    assert [r[3] for r in body] == [e.kind for e in events]
    assigned = body[[e.kind for e in events].index("assigned")]
    assert assigned[4] == officer.username and assigned[5] == "203.0.113.7"
    assert body[0][0].endswith("+09:00")
    assert "Pelapor menelepon ke SPKT." in [r[7] for r in body]
    flat = repr(rows)
    assert "budi@example.com" not in flat and "Budi Santoso" not in flat


def test_the_log_holds_only_the_period_and_the_auditors_units(
    client, spkt, dpmptsp, auditor, other_officer
):
    with time_machine.travel(timezone.now() - timedelta(days=3), tick=False):
        old = submit_report(spkt).report.case
    new = submit_report(spkt).report.case
    submit_report(dpmptsp)
    client.force_login(auditor)
    today = timezone.localdate().isoformat()

    rows = read_csv(
        client.get(reverse("officer:audit_log"), {"date_from": today, "date_to": today})
    )

    assert {r[1] for r in rows[1:]} == {new.reference}
    assert old.reference not in repr(rows)


def test_a_spreadsheet_formula_in_a_message_is_defused(client, spkt, officer, auditor):
    case = submit_report(spkt).report.case
    workflow.case_note_add(case=case, by=officer, text='=HYPERLINK("http://x.test","klik")')
    client.force_login(auditor)
    today = timezone.localdate().isoformat()

    rows = read_csv(
        client.get(reverse("officer:audit_log"), {"date_from": today, "date_to": today})
    )

    assert '\'=HYPERLINK("http://x.test","klik")' in [r[7] for r in rows]


def test_a_backwards_period_is_400(client, spkt, auditor):
    client.force_login(auditor)

    response = client.get(
        reverse("officer:audit_log"), {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )

    assert response.status_code == 400 and "date_to" in response.context["log_form"].errors
