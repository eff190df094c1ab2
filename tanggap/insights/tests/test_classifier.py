"""Training and suggestion on the invented fixture: merging, refusals, ranking, round trip."""

import random

import pytest

from tanggap.insights import classifier
from tanggap.insights.tests.synthetic import examples

SMALL = classifier.Policy(min_examples=100)


def test_the_model_beats_the_most_common_label_on_the_fixture():
    # given 360 invented reports across six agencies, in the order written
    texts, labels = examples(360)
    # when the model is fitted (held out: the newest fifth)
    fitted = classifier.fit(texts, labels)
    # then its first suggestion and its top three beat always suggesting the most common ones
    m = fitted.metrics
    assert m["accuracy"] > m["majority_accuracy"]
    assert m["top3_accuracy"] > m["majority_top3_accuracy"]
    assert m["macro_f1"] > 0
    assert (m["train_size"], m["holdout_size"]) == (288, 72)
    assert fitted.size == 360
    assert sorted(fitted.labels) == sorted(set(labels))


def test_a_suggestion_is_the_agency_a_new_report_is_about():
    # given a model of the fixture
    texts, labels = examples(360)
    pipeline = classifier.fit_pipeline(texts, labels)
    # when asked about two new reports written the way citizens write
    water, ktp = classifier.predict_top(
        pipeline,
        ["air pdam di rumah sy mati total sdh 3 hari", "e-ktp sy blm jadi padahal sdh 2 bln"],
    )
    # then each gets three labels, best first, the right agency on top
    assert [len(water), len(ktp)] == [3, 3]
    assert water[0].label == "PDAM"
    assert ktp[0].label == "Dinas Kependudukan"
    assert water[0].confidence >= water[1].confidence >= water[2].confidence
    assert 0 < water[0].confidence <= 1


def test_only_allowed_labels_are_ranked():
    # given a model of the fixture
    texts, labels = examples(360)
    pipeline = classifier.fit_pipeline(texts, labels)
    # when the caller may only choose two agencies
    allowed = {"Dinas Sosial", "Dinas Perhubungan"}
    (top,) = classifier.predict_top(pipeline, ["air pdam mati"], k=3, allowed=allowed)
    # then only those are ranked, with the model's own probabilities
    assert {p.label for p in top} == allowed


def test_rare_labels_are_learnt_as_other_and_never_suggested():
    # given the fixture plus two agencies with only three reports each
    texts, labels = examples(360)
    texts += ["lampu taman padam di alun-alun"] * 3 + ["pedagang kaki lima di trotoar"] * 3
    labels += ["Dinas Pertamanan"] * 3 + ["Satpol PP"] * 3
    rng = random.Random(3)
    order = list(range(len(texts)))
    rng.shuffle(order)
    texts, labels = [texts[i] for i in order], [labels[i] for i in order]
    # when the model is fitted
    pipeline = classifier.fit_pipeline(texts, labels, classifier.Policy(min_per_class=5))
    # then the rare agencies became OTHER, which is never suggested
    assert classifier.OTHER in pipeline.classes_
    assert not {"Dinas Pertamanan", "Satpol PP"} & set(pipeline.classes_)
    (top,) = classifier.predict_top(pipeline, ["lampu taman padam di alun-alun"], k=10)
    assert classifier.OTHER not in {p.label for p in top}
    assert len(top) == 6


def test_merge_rare_drops_an_other_too_small_to_learn():
    # given two common labels and one label of a single example
    labels = ["a"] * 5 + ["b"] * 5 + ["c"]
    # when merged at five per class / then the lone example is left out, not called OTHER
    assert classifier.merge_rare(labels, 5) == ["a"] * 5 + ["b"] * 5 + [None]
    # and with enough rare examples they form OTHER
    labels = ["a"] * 5 + ["b"] * 5 + ["c", "d", "e", "f", "g"]
    assert classifier.merge_rare(labels, 5)[-5:] == [classifier.OTHER] * 5


def test_too_little_history_gives_no_model():
    # given 99 reports where 100 are needed
    texts, labels = examples(99)
    # when fitted / then refused, with the reason
    with pytest.raises(classifier.NotEnoughHistory) as refused:
        classifier.fit(texts, labels, SMALL)
    assert refused.value.code == "too_few_cases"


def test_one_label_with_enough_examples_gives_no_model():
    # given 150 reports of one agency and a handful of others
    texts, labels = examples(150)
    labels = ["PDAM"] * 146 + ["Dinas Sosial"] * 4
    # when fitted / then refused: there is nothing to choose between
    with pytest.raises(classifier.NotEnoughHistory) as refused:
        classifier.fit(texts, labels, SMALL)
    assert refused.value.code == "too_few_classes"


def test_a_model_no_better_than_the_most_common_label_is_refused():
    # given labels that have nothing to do with the texts, one of them four times in five
    texts, _labels = examples(300)
    rng = random.Random(5)
    labels = [rng.choices(["A", "B"], [4, 1])[0] for _ in texts]
    # when fitted / then refused rather than shown
    with pytest.raises(classifier.NotEnoughHistory) as refused:
        classifier.fit(texts, labels, SMALL)
    assert refused.value.code == "not_better"


def test_a_stored_pipeline_suggests_the_same_after_loading():
    # given a fitted pipeline
    texts, labels = examples(200)
    pipeline = classifier.fit_pipeline(texts, labels)
    # when dumped to bytes and loaded back
    payload = classifier.dumps(pipeline)
    loaded = classifier.loads(payload)
    # then it is small and suggests exactly the same
    assert len(payload) < 1_000_000
    report = ["sampah menumpuk di TPS dekat pasar"]
    assert classifier.predict_top(loaded, report) == classifier.predict_top(pipeline, report)
