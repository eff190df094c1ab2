"""Normalising informal Indonesian: slang, case, placeholders, repeated letters, stems."""

import pytest

from tanggap.insights.lexicon import NEGATIONS
from tanggap.insights.normalize import normalized, stem, stop_words, tokens, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # abbreviations and slang
        ("yg tdk dgn sdh blm krn tp", "yang tidak dengan sudah belum karena tapi"),
        ("gak ga nggak ngga gk", "tidak tidak tidak tidak tidak"),
        ("udh udah dah", "sudah sudah sudah"),
        ("utk bgt", "untuk sangat"),
        ("jln rusak di jl raya", "jalan rusak di jalan raya"),
        ("kec rungkut kel kalirungkut", "kecamatan rungkut kelurahan kalirungkut"),
        ("sy org sini, aq jg", "saya orang sini saya juga"),
        ("bs dtg kpn saja", "bisa datang kapan saja"),
        ("kabel, tiang, dll", "kabel tiang dan lain-lain"),
        ("dr pagi sampe sore", "dari pagi sampai sore"),
        ("trims, terima kasih, matur nuwun", "terimakasih terimakasih terimakasih"),
        # Javanese and Sundanese words with one reading
        ("wis suwe ora ono banyu", "sudah lama tidak ada air"),
        ("durung dibenahi, teu aya", "belum dibenahi tidak aya"),
        # ALL CAPS, punctuation, repeated letters
        ("JALAN BERLUBANG!!! MOHON DIPERBAIKI", "jalan berlubang mohon diperbaiki"),
        ("rusak bangettt, tolonggg", "rusak sangat tolong"),
        ("maaaf sebelumnya", "maaf sebelumnya"),
        # reduplication written with a 2
        ("anak2 main di jalan2", "anak-anak main di jalan-jalan"),
        # typos are left alone
        ("jalan berlobang di kecamatn", "jalan berlobang di kecamatn"),
        # placeholders of the de-identification, links and e-mail addresses go
        ("saya [NAMA] no hp [TELP] rt [X]", "saya no hp rt"),
        ("lihat https://example.com/x atau tulis ke a.b@example.com", "lihat atau tulis ke"),
        # numbers stay in the words
        ("sudah 3 minggu, 10.000 rupiah", "sudah 3 minggu 10 000 rupiah"),
        # accents and emoji
        ("café 🙏 enak", "cafe enak"),
        ("terima kasih ðŸ™ðŸ™", "terimakasih"),
        # "dr" after a hospital is a doctor
        ("antri di RSUD dr Soetomo", "antri di rsud dokter soetomo"),
    ],
)
def test_normalized(text, expected):
    # given informal text / when normalised / then the words read in standard form
    assert normalized(text) == expected


def test_words_keep_negations_and_order():
    # given a sentence with negation / when split into words / then nothing is dropped
    assert words("Pohon blm roboh, tdk ada korban") == [
        "pohon",
        "belum",
        "roboh",
        "tidak",
        "ada",
        "korban",
    ]


def test_tokens_drop_stop_words_numbers_and_single_letters_but_keep_negations():
    # given a typical complaint
    text = "Sdh 3 minggu lampu PJU di gang 5 tdk menyala, mohon segera diperbaiki ya pak"

    # when tokenised without stemming
    result = tokens(text, stem_words=False)

    # then boilerplate, dates and numbers go, content and the negation stay
    assert result == ["lampu", "pju", "gang", "tidak", "menyala", "diperbaiki"]


def test_tokens_are_stemmed_with_the_domain_overrides():
    # given inflected words / when tokenised / then they share stems, with the overrides
    assert tokens("jalanan berlubang-lubang, perantingan pohon, pemangkasan") == [
        "jalan",
        "lubang",
        "ranting",
        "pohon",
        "pangkas",
    ]


def test_stem_is_cached_and_keeps_unknown_words():
    # given a word Sastrawi does not know / when stemmed twice / then it is kept, from cache
    stem.cache_clear()
    assert stem("pju") == "pju"
    assert stem("pju") == "pju"
    assert stem.cache_info().hits == 1


def test_stop_words_never_hold_a_negation():
    # given the stop word list / then Sastrawi's negations are taken out of it
    assert not NEGATIONS & stop_words()
    assert {"yang", "dengan", "mohon", "terimakasih"} <= stop_words()


def test_empty_and_blank_text():
    # given nothing to read / then nothing comes out
    assert normalized("") == ""
    assert tokens("  ...  ") == []
