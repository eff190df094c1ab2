"""The suggestions on the case page: hints with their confidence, one click to fill a form."""

import re

import pytest
from django.urls import reverse

from tanggap.cases import suggestions
from tanggap.cases.choices import EventKind
from tanggap.cases.tests.factories import city, ready_models
from tanggap.insights.models import SuggestionModel
from tanggap.intake.tests.factories import submit_report

pytestmark = pytest.mark.django_db

WATER = "Air PDAM di rumah sy mati total sdh 3 hari, mohon segera ditindaklanjuti"


@pytest.fixture(autouse=True)
def empty_model_cache():
    suggestions._loaded.clear()
    yield
    suggestions._loaded.clear()


@pytest.fixture
def town(settings):
    settings.SUGGESTION_CONFIDENCE_FLOOR = 0.05
    town = city()
    ready_models(town)
    town.case = submit_report(
        town.root, title="Air mati", description=WATER, name="", email="", phone=""
    ).report.case
    return town


def page(client, town, query=""):
    client.force_login(town.officer)
    return client.get(reverse("officer:case_detail", args=[town.case.pk]) + query)


def selected(html: str, name: str) -> list[str]:
    """Return the values of the selected options of the select named *name*."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group()
    return re.findall(r'<option value="(\d*)"[^>]*selected', select)


def test_the_page_shows_the_suggestions_with_their_confidence_and_chooses_nothing(client, town):
    # given a new report about water and ready models
    # when the officer opens the case
    response = page(client, town)
    html = response.content.decode()
    # then the water utility is the first unit and category suggested, with a confidence
    assert response.status_code == 200
    assert 'data-testid="suggestions"' in html
    units = re.search(r'data-testid="suggested-units">(.*?)</ol>', html, re.S).group(1)
    first_unit = re.search(r"suggested_unit=(\d+)#id_assign-unit", units).group(1)
    assert first_unit == str(town.units["PDAM"].pk)
    percents = [int(p) for p in re.findall(r"(\d+)%", units)]
    assert percents and percents == sorted(percents, reverse=True)
    categories = re.search(r'data-testid="suggested-categories">(.*?)</ol>', html, re.S).group(1)
    assert f"suggested_category={town.categories['PDAM'].pk}" in categories
    # and no form is filled with a suggestion: the disposition stays on the case's own unit
    assert selected(html, "assign-unit") == [str(town.root.pk)]
    assert selected(html, "case-edit-category") == [""]


def test_a_suggestion_link_fills_in_the_disposition_form(client, town):
    # given the page with its suggestions
    pdam = town.units["PDAM"]
    # when the officer clicks the suggested unit
    html = page(client, town, f"?suggested_unit={pdam.pk}").content.decode()
    # then the disposition form has it selected, and the suggestion says so
    assert selected(html, "assign-unit") == [str(pdam.pk)]
    assert html.count('class="badge"') >= 1


def test_a_suggestion_link_fills_in_the_category(client, town):
    # given the page with its suggestions
    category = town.categories["PDAM"]
    # when the officer clicks the suggested category
    html = page(client, town, f"?suggested_category={category.pk}").content.decode()
    # then the details form has it selected
    assert selected(html, "case-edit-category") == [str(category.pk)]


def test_a_link_to_something_not_suggested_fills_in_nothing(client, town):
    # given the page
    # when the query names a unit that is not among the suggestions
    html = page(client, town, f"?suggested_unit={town.root.pk + 999}").content.decode()
    # then the form is as usual
    assert selected(html, "assign-unit") == [str(town.root.pk)]


def test_disposing_through_the_page_records_the_suggestion_rank(client, town):
    # given the officer on the case page
    client.force_login(town.officer)
    case = town.case
    shown = suggestions.case_suggestions(case=case, user=town.officer)["unit"]
    # when they dispose to the first suggested unit
    response = client.post(
        reverse("officer:case_action", args=[case.pk, "assign"]),
        {"assign-version": case.version, "assign-unit": shown[0].choice.pk, "assign-note": ""},
    )
    # then the disposition event records rank 1
    assert response.status_code == 302
    event = case.events.get(kind=EventKind.ASSIGNED)
    assert event.data["suggested_rank"] == 1
    assert event.data["unit"] == shown[0].choice.pk


def test_choosing_another_category_records_rank_zero(client, town):
    # given the officer on the case page
    client.force_login(town.officer)
    case = town.case
    shown = suggestions.case_suggestions(case=case, user=town.officer)["category"]
    other = next(c for c in town.categories.values() if c not in [s.choice for s in shown])
    # when they set a category that was not suggested
    response = client.post(
        reverse("officer:case_edit", args=[case.pk]),
        {
            "case-edit-version": case.version,
            "case-edit-title": case.title,
            "case-edit-kind": case.kind,
            "case-edit-priority": case.priority,
            "case-edit-complexity": case.complexity,
            "case-edit-category": other.pk,
        },
    )
    # then the edit event records that suggestions were shown and none was chosen
    assert response.status_code == 302
    assert case.events.get(kind=EventKind.EDITED).data["suggested_rank"] == 0


def test_without_a_model_there_is_no_suggestions_block(client, town):
    # given no model for the organisation
    SuggestionModel.objects.all().delete()
    # when the officer opens the case / then there is no block and no rank is recorded
    assert 'data-testid="suggestions"' not in page(client, town).content.decode()


def test_an_officer_of_another_unit_gets_404_even_with_a_suggestion_link(
    client, town, other_officer
):
    # given an officer of another organisation
    client.force_login(other_officer)
    # when they open the case with a suggestion link / then 404, never 403
    url = reverse("officer:case_detail", args=[town.case.pk])
    response = client.get(f"{url}?suggested_unit={town.units['PDAM'].pk}")
    assert response.status_code == 404
