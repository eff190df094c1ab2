"""Suggestions: learnt from the officers' decisions, stored signed, shown only when worth it."""

import itertools

import pytest
from django.core.management import CommandError, call_command

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UnitFactory, UserFactory
from tanggap.cases import suggestions
from tanggap.cases.choices import Channel, EventKind, RejectReason, ReportKind
from tanggap.cases.services import case_open
from tanggap.cases.suggestion_tasks import train_suggestions
from tanggap.cases.tests.factories import city, ready_models
from tanggap.cases.workflow import case_assign, case_edit, case_reject, case_verify
from tanggap.insights import classifier
from tanggap.insights.models import ModelStatus, SuggestionModel, SuggestionTarget
from tanggap.insights.tests import synthetic

pytestmark = pytest.mark.django_db

WATER = "Air PDAM di rumah sy mati total sdh 3 hari, mohon segera ditindaklanjuti"
REFERENCES = itertools.count(1)
THREE = ("Dinas Pekerjaan Umum", "Dinas Kependudukan", "PDAM")


@pytest.fixture(autouse=True)
def empty_model_cache():
    suggestions._loaded.clear()
    yield
    suggestions._loaded.clear()


@pytest.fixture
def town():
    return city()


def new_case(town, text=WATER):
    return case_open(
        unit=town.root,
        reference=f"TGP-SUGG-{next(REFERENCES):04d}",
        kind=ReportKind.COMPLAINT,
        channel=Channel.WEB,
        title="Laporan warga",
        text=text,
    )


@pytest.fixture
def history(town, settings):
    """Sixty cases of three agencies handled by the officer: disposed and categorised."""
    settings.SUGGESTION_MIN_CASES = 50
    texts, agencies = synthetic.examples(200)
    handled = [(t, a) for t, a in zip(texts, agencies, strict=True) if a in THREE][:60]
    for text, agency in handled:
        case = new_case(town, text)
        case = case_assign(case=case, by=town.officer, unit=town.units[agency])
        case_edit(case=case, by=town.officer, changes={"category": town.categories[agency]})
    return handled


def test_training_reads_the_officers_final_decisions(town, history):
    # given the history, a case rejected after disposition and one still unverified
    rejected = case_assign(case=new_case(town), by=town.officer, unit=town.units["PDAM"])
    case_reject(case=rejected, by=town.officer, reason=RejectReason.SPAM, note="Pesan berulang.")
    new_case(town)
    # when the training examples are read
    texts, units = suggestions.training_examples(
        organisation=town.organisation, target=SuggestionTarget.UNIT
    )
    _texts, categories = suggestions.training_examples(
        organisation=town.organisation, target=SuggestionTarget.CATEGORY
    )
    # then they are the handled cases, oldest first, labelled with the unit and the category
    assert len(texts) == 60
    assert units == [str(town.units[agency].pk) for _t, agency in history]
    assert categories == [str(town.categories[agency].pk) for _t, agency in history]
    assert history[0][0] in texts[0]


def test_training_stores_ready_models_that_suggest_the_right_unit(town, history):
    # given the history
    # when trained
    rows = suggestions.suggestions_train(organisation=town.organisation)
    # then both models are ready, with their size, time, figures and a signed payload
    assert {r.target: r.status for r in rows} == {
        SuggestionTarget.CATEGORY: ModelStatus.READY,
        SuggestionTarget.UNIT: ModelStatus.READY,
    }
    unit_model = SuggestionModel.objects.get(target=SuggestionTarget.UNIT)
    assert unit_model.training_size == 60
    assert unit_model.metrics["accuracy"] > unit_model.metrics["majority_accuracy"]
    assert sorted(unit_model.labels) == sorted(str(town.units[a].pk) for a in THREE)
    assert len(unit_model.digest) == 64
    assert unit_model.payload
    # and a new report about water is suggested the water utility first
    shown = suggestions.case_suggestions(case=new_case(town), user=town.officer)
    assert shown["unit"][0].choice == town.units["PDAM"]
    assert shown["category"][0].choice == town.categories["PDAM"]


def test_without_enough_history_there_is_no_model_and_no_suggestion(town):
    # given an organisation with no handled case
    # when trained
    rows = suggestions.suggestions_train(organisation=town.organisation)
    # then the refusal is stored and nothing is suggested
    assert {r.status for r in rows} == {ModelStatus.TOO_FEW_CASES}
    assert all(r.payload == b"" for r in rows)
    assert suggestions.case_suggestions(case=new_case(town), user=town.officer) == {}


def test_retraining_with_too_little_history_withdraws_the_model(town, settings):
    # given ready models
    ready_models(town)
    # when a training finds too little history (here: the threshold was raised)
    settings.SUGGESTION_MIN_CASES = 10_000
    suggestions.suggestions_train(organisation=town.organisation)
    # then the suggestions stop
    assert suggestions.case_suggestions(case=new_case(town), user=town.officer) == {}


def test_a_ready_model_suggests_at_most_three_choices_above_the_floor(town, settings):
    # given ready models and a floor
    ready_models(town)
    settings.SUGGESTION_CONFIDENCE_FLOOR = 0.05
    # when a report about water is verified
    shown = suggestions.case_suggestions(case=new_case(town), user=town.officer)
    # then up to three units and categories, best first, each above the floor
    for target in ("unit", "category"):
        assert 1 <= len(shown[target]) <= 3
        assert [s.rank for s in shown[target]] == list(range(1, len(shown[target]) + 1))
        confidences = [s.confidence for s in shown[target]]
        assert confidences == sorted(confidences, reverse=True)
        assert min(confidences) >= 0.05
    assert shown["unit"][0].choice == town.units["PDAM"]
    assert 0 < shown["unit"][0].percent <= 100


def test_a_high_floor_hides_every_suggestion(town, settings):
    # given ready models and a floor no suggestion reaches
    ready_models(town)
    settings.SUGGESTION_CONFIDENCE_FLOOR = 1.01
    # when asked / then nothing is shown rather than a weak hint
    assert suggestions.case_suggestions(case=new_case(town), user=town.officer) == {}


def test_suggestions_are_only_for_a_handler_at_verification(town):
    # given ready models, a verified case, a disposed case and an auditor
    ready_models(town)
    verified = case_verify(case=new_case(town), by=town.officer)
    disposed = case_assign(case=new_case(town), by=town.officer, unit=town.units["PDAM"])
    auditor = UserFactory(username="auditor-kota")
    MembershipFactory(user=auditor, unit=town.root, role=Role.AUDITOR)
    # when asked / then the handler sees them while verifying, not after disposition
    assert suggestions.case_suggestions(case=verified, user=town.officer)
    assert suggestions.case_suggestions(case=disposed, user=town.officer) == {}
    # and an auditor, who cannot decide, sees none
    assert suggestions.case_suggestions(case=verified, user=auditor) == {}


def test_only_units_the_officer_can_dispose_to_and_active_categories_are_suggested(town):
    # given ready models, an officer of another branch of the tree, an inactive category
    ready_models(town)
    branch = UnitFactory(organisation=town.organisation, parent=town.root, name="Cabang")
    officer = UserFactory(username="petugas-cabang")
    MembershipFactory(user=officer, unit=branch, role=Role.OFFICER)
    town.categories["PDAM"].is_active = False
    town.categories["PDAM"].save(update_fields=["is_active"])
    fresh = case_open(
        unit=branch,
        reference="TGP-SUGG-CABG",
        kind=ReportKind.COMPLAINT,
        channel=Channel.WEB,
        title="Laporan warga",
        text=WATER,
    )
    # when the branch officer verifies a report about water
    shown = suggestions.case_suggestions(case=fresh, user=officer)
    # then no unit outside the branch is offered, and no inactive category
    assert "unit" not in shown
    assert town.categories["PDAM"] not in [s.choice for s in shown.get("category", [])]


def test_a_payload_that_does_not_match_its_signature_is_never_unpickled(town, monkeypatch):
    # given ready models whose unit payload was altered in the database
    ready_models(town)
    row = SuggestionModel.objects.get(target=SuggestionTarget.UNIT)
    SuggestionModel.objects.filter(pk=row.pk).update(payload=bytes(row.payload)[:-1] + b"x")
    loaded = []
    real_loads = classifier.loads
    monkeypatch.setattr(classifier, "loads", lambda p: loaded.append(p) or real_loads(p))
    # when suggestions are asked for
    shown = suggestions.case_suggestions(case=new_case(town), user=town.officer)
    # then the altered bytes were refused before unpickling; the intact model still works
    assert "unit" not in shown
    assert "category" in shown
    assert len(loaded) == 1


def test_a_model_of_another_scikit_learn_version_is_not_loaded(town):
    # given ready models stored by another version of the library
    ready_models(town)
    SuggestionModel.objects.update(library_version="0.0.0")
    # when asked / then nothing: the next training replaces them
    assert suggestions.case_suggestions(case=new_case(town), user=town.officer) == {}


def test_the_rank_of_the_officers_choice_among_the_suggestions(town, settings):
    # given ready models and a report about water
    ready_models(town)
    settings.SUGGESTION_CONFIDENCE_FLOOR = 0.0
    case = new_case(town)

    def rank(choice):
        return suggestions.suggested_rank(
            case=case, user=town.officer, target=SuggestionTarget.UNIT, choice=choice
        )

    # when the officer chooses the first suggestion, the third, or something else
    shown = suggestions.case_suggestions(case=case, user=town.officer)["unit"]
    # then 1, 3, or 0; and None when nothing was shown
    assert rank(shown[0].choice) == 1
    assert rank(shown[2].choice) == 3
    assert rank(town.root) == 0
    SuggestionModel.objects.all().delete()
    assert rank(shown[0].choice) is None


def test_the_disposition_and_the_category_change_keep_the_rank(town):
    # given a case
    case = new_case(town)
    # when disposed and categorised with a suggestion's rank
    case = case_assign(case=case, by=town.officer, unit=town.units["PDAM"], suggested_rank=1)
    case_edit(
        case=case, by=town.officer, changes={"category": town.categories["PDAM"]}, suggested_rank=2
    )
    # then the events record it
    assigned = case.events.get(kind=EventKind.ASSIGNED)
    edited = case.events.get(kind=EventKind.EDITED)
    assert assigned.data["suggested_rank"] == 1
    assert edited.data["suggested_rank"] == 2


def test_an_edit_that_leaves_the_category_keeps_no_rank(town):
    # given a case
    case = new_case(town)
    # when its title changes, with a rank passed along
    case_edit(case=case, by=town.officer, changes={"title": "Air mati"}, suggested_rank=1)
    # then the edit event carries no rank: no category was chosen
    assert "suggested_rank" not in case.events.get(kind=EventKind.EDITED).data


def test_reading_suggestions_takes_a_fixed_number_of_queries(
    town, django_assert_num_queries, settings
):
    # given ready models already loaded in this process
    ready_models(town)
    settings.SUGGESTION_CONFIDENCE_FLOOR = 0.0
    case = new_case(town)
    suggestions.case_suggestions(case=case, user=town.officer)
    # when asked again / then: the capability (2), the models, the categories, the units (2)
    with django_assert_num_queries(6):
        shown = suggestions.case_suggestions(case=case, user=town.officer)
    assert len(shown["unit"]) == 3


def test_the_task_trains_the_organisation(town):
    # given an organisation without history
    # when the task runs (immediately in tests)
    result = train_suggestions.enqueue(town.organisation.pk)
    # then it reports each target's status
    assert result.return_value == {"category": "too_few_cases", "unit": "too_few_cases"}
    assert SuggestionModel.objects.filter(organisation=town.organisation).count() == 2


def test_the_command_trains_now_or_enqueues(town, capsys):
    # given an organisation
    # when the command runs with --now, then without
    call_command("suggestions_train", "--now", "--organisation", town.organisation.slug)
    now = capsys.readouterr().out
    call_command("suggestions_train", "--organisation", town.organisation.slug)
    queued = capsys.readouterr().out
    # then it printed each model's status, then the enqueued task
    assert f"{town.organisation.slug} unit: too_few_cases, 0 handled reports" in now
    assert "training enqueued" in queued
    with pytest.raises(CommandError):
        call_command("suggestions_train", "--organisation", "no-such-organisation")
