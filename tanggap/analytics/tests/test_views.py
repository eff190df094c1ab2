"""The dashboard, the public statistics and the open data, as users and visitors see them."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation

from tanggap.analytics.periods import parse
from tanggap.analytics.selectors import overdue_cases, period_measures, workload
from tanggap.analytics.services import rollup_refresh

from .conftest import at, travel
from .test_rollups import LATER

pytestmark = pytest.mark.django_db
NOVEMBER = {"period": "2026-11"}


@pytest.fixture
def rolled(varied):
    rollup_refresh(now=LATER)
    with travel(at(29, 12)):
        yield varied


def _text(response) -> str:
    return response.content.decode()


def test_dashboard_shows_the_units_figures_overdue_cases_and_workload(client, head, spkt, rolled):
    # given the unit head of SPKT
    client.force_login(head)
    # when they open November's dashboard
    response = client.get(reverse("analytics:dashboard", args=[spkt.pk]), NOVEMBER)
    # then the figures of SPKT and its sub-unit, the overdue case and the heat map show
    assert response.status_code == 200
    page = _text(response)
    assert 'data-figure="received">11<' in page
    assert rolled["overdue"].case.reference in page
    assert 'data-testid="heat"' in page and 'data-testid="workload"' in page
    assert "Pos Polisi Contoh" in page  # drill-down to the sub-unit
    assert response.context["figures"]["confidential"] == 1
    assert response.context["delta"]["received"] == 11  # October had none


@pytest.mark.parametrize("who", ["other_officer", "officer"])
def test_dashboard_and_reports_of_another_unit_or_without_the_right_answer_404(
    client, request, spkt, rolled, who
):
    # given an officer of another unit, and an officer without oversight rights
    client.force_login(request.getfixturevalue(who))
    # then SPKT's dashboard, its reports and the list answer 404
    assert client.get(reverse("analytics:dashboard", args=[spkt.pk])).status_code == 404
    assert client.get(reverse("analytics:reports", args=[spkt.pk])).status_code == 404
    assert client.get(reverse("analytics:units")).status_code == 404


def test_dashboard_refuses_a_bad_period_with_a_clear_message(client, head, spkt, rolled):
    # given the unit head
    client.force_login(head)
    # when the period is not one on offer
    response = client.get(reverse("analytics:dashboard", args=[spkt.pk]), {"period": "2026-13"})
    # then it is refused with the reason in the page's language
    assert response.status_code == 400
    with translation.override("id"):
        assert translation.gettext("Choose a period from the list.") in _text(response)


def test_public_statistics_hide_small_cells_and_confidential_text(client, spkt, rolled):
    # given a visitor
    # when they open SPKT's statistics for November
    response = client.get(reverse("stats:unit", args=[spkt.pk]), NOVEMBER)
    # then the counts show, small cells are marked, and no report text or code appears
    assert response.status_code == 200
    page = _text(response)
    assert 'data-figure="received">11<' in page
    assert 'data-key="suggestion">&lt;5<' in page
    for secret in ("Rahasia", "Slamet", rolled["confidential"].tracking_code, "Budi Santoso"):
        assert secret not in page
    assert reverse("stats:unit", args=[spkt.pk]) in _text(client.get(reverse("stats:index")))


def test_public_statistics_of_a_unit_not_publishing_answer_404(client, spkt, rolled):
    # given a unit that takes no public reports
    spkt.accepts_reports = False
    spkt.save(update_fields=["accepts_reports"])
    # then its statistics and data answer 404
    assert client.get(reverse("stats:unit", args=[spkt.pk])).status_code == 404
    assert client.get(reverse("stats:open_data_json", args=[spkt.pk])).status_code == 404


def test_open_data_json_and_csv_hold_counts_only(client, spkt, rolled):
    # given a visitor downloading November's open data
    json_response = client.get(reverse("stats:open_data_json", args=[spkt.pk]), NOVEMBER)
    csv_response = client.get(reverse("stats:open_data_csv", args=[spkt.pk]), NOVEMBER)
    # then the JSON has the figures, with small cells null
    document = json.loads(json_response.content)
    assert document["period"] == {"code": "2026-11", "start": "2026-11-01", "end": "2026-11-30"}
    assert document["figures"]["received"] == 11
    assert document["by_kind"] == {"complaint": 9, "suggestion": None, "information_request": None}
    assert document["by_channel"]["web"] == 8
    assert "confidential" not in document["figures"]
    # and the CSV the same rows, hidden cells empty
    rows = list(csv.DictReader(io.StringIO(csv_response.content.decode())))
    values = {(r["measure"], r["item"]): r["value"] for r in rows}
    assert values[("received", "")] == "11"
    assert values[("by_kind", "suggestion")] == ""
    assert values[("by_kind", "complaint")] == "9"
    # and neither holds a report's text, code or reporter
    for body in (json_response.content.decode(), csv_response.content.decode()):
        for secret in ("Rahasia", "Antrian", rolled["good"].tracking_code, "Budi", "example.com"):
            assert secret not in body


def test_open_data_refuses_a_bad_period(client, spkt, rolled):
    # when the period is nonsense
    response = client.get(reverse("stats:open_data_json", args=[spkt.pk]), {"period": "x"})
    # then it answers 400 with the reason
    assert response.status_code == 400
    assert "period" in json.loads(response.content)["errors"]


def test_dashboard_reads_take_a_fixed_number_of_queries(
    spkt, rolled, django_assert_max_num_queries
):
    # given rolled-up cases
    period = parse("2026-11")
    # then the measures, the overdue list and the workload each take a few queries
    with django_assert_max_num_queries(2):
        assert period_measures(spkt, period).counts["received"] == 11
    with django_assert_max_num_queries(2):
        assert overdue_cases(spkt)[0].pk == rolled["overdue"].case_id
    with django_assert_max_num_queries(3):
        assert sum(row["open"] for row in workload(spkt)) >= 1
