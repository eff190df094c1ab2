"""Key phrases per category and their change between periods, on a small invented fixture."""

from tanggap.insights.themes import (
    FALLING,
    RISING,
    key_phrases,
    key_phrases_by_category,
    text_phrases,
    trends,
)

ROADS = [
    "Jalan berlubang di depan pasar, sudah lama tidak diperbaiki",
    "jln berlubang dalam, motor sering jatuh",
    "Mohon perbaikan jalan berlubang di gang 3",
    "Aspal jalan rusak dan berlubang setelah galian PDAM",
]
LIGHTS = [
    "Lampu PJU mati sejak seminggu, jalan gelap",
    "lampu pju di gang 2 mati total",
    "PJU padam, lampu mati semua di jalan raya",
    "Mohon lampu PJU yang mati segera diganti",
]
WASTE = [
    "Sampah menumpuk di TPS tidak diangkut",
    "sampah tidak diangkut sudah 3 hari, bau",
    "Truk sampah tidak datang, sampah menumpuk di depan rumah",
]


def test_text_phrases_keep_surface_forms_and_neighbouring_bigrams():
    # given a sentence / when split into phrases / then stems key the readable words
    phrases = text_phrases("Jalanan berlubang di depan rumah, tdk diperbaiki")

    assert phrases["jalan"] == "jalanan"
    assert phrases["jalan lubang"] == "jalanan berlubang"
    # "depan" and "rumah" are stop words; "tidak" is kept only inside a bigram
    assert "tidak" not in phrases and phrases["tidak baik"] == "tidak diperbaiki"
    # no bigram over the removed words between "berlubang" and "diperbaiki"
    assert "lubang baik" not in phrases


def test_key_phrases_by_category_find_each_categorys_topic():
    # given three categories of complaints
    items = (
        [("Jalan", t) for t in ROADS]
        + [("PJU", t) for t in LIGHTS]
        + [("Kebersihan", t) for t in WASTE]
    )

    # when their key phrases are read against each other
    result = key_phrases_by_category(items, top=3)

    # then each category's top phrase is its own topic, in the words people used
    assert list(result) == ["Jalan", "Kebersihan", "PJU"]
    assert result["Jalan"][0].phrase in {"berlubang", "jalan berlubang"}
    assert result["PJU"][0].phrase in {"lampu", "lampu pju", "pju", "mati"}
    assert result["Kebersihan"][0].phrase in {"sampah", "tidak diangkut", "diangkut"}
    assert all(p.documents >= 2 and p.score > 0 for ps in result.values() for p in ps)


def test_key_phrases_without_background_are_the_most_frequent():
    # given one category alone / when read without background / then the most frequent first
    result = key_phrases(LIGHTS, top=2)

    assert result[0].documents == 4 and result[0].score == 1.0


def test_trends_report_rising_and_falling_phrases_with_counts():
    # given a quiet previous month and a month of floods
    previous = ROADS * 3 + ["banjir di jalan depan sekolah"]
    current = (
        ROADS
        + [
            "Banjir masuk rumah warga setelah hujan deras",
            "banjir setinggi lutut di gang 5",
            "Saluran mampet, banjir lagi",
            "banjir di jalan raya, kendaraan mogok",
            "Mohon pengerukan saluran, banjir tiap hujan",
        ]
        * 2
    )

    # when compared
    result = trends(current, previous, top=5)

    # then flooding rises with its counts, and the potholes fall
    rising = {t.phrase: t for t in result if t.direction == RISING}
    falling = {t.phrase: t for t in result if t.direction == FALLING}
    assert rising["banjir"].current == 10 and rising["banjir"].previous == 1
    assert "berlubang" in falling and falling["berlubang"].previous == 12
    assert result[0].direction == RISING


def test_trends_need_both_periods():
    # given an empty period / then there is nothing to compare
    assert trends(ROADS, []) == []
