"""Masking of personal data on the hard cases: split numbers, +62 phones, names in capitals."""

import pytest

from tanggap.insights import pii


def kinds(text):
    return [(s.kind, text[s.start : s.end]) for s in pii.find(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("NIK 3578014503900001 ya", "3578014503900001"),
        ("nik: 3578 0145 0390 0001.", "3578 0145 0390 0001"),
        ("NIK 35.78.01.450390.0001", "35.78.01.450390.0001"),
        ("ktp 357801-450390-0001", "357801-450390-0001"),
        ("noNIK:3578014503900001ktp", "3578014503900001"),
    ],
)
def test_nik_split_by_spaces_dots_and_dashes_is_found(text, expected):
    # given a NIK written in one of the ways citizens type it
    # when it is searched
    # then the whole number is one NIK span
    assert kinds(text) == [(pii.NIK, expected)]


def test_nik_needs_a_province_and_a_birth_date():
    # given 16-digit numbers with an impossible province, month or day, and a valid woman's NIK
    bad_province = "9978014503900001"
    bad_month = "3578014513900001"
    bad_day = "3578017503900001"
    woman = "3578015503900001"  # day 15 + 40
    # when / then only the plausible one is a NIK; the others are masked as plain numbers
    assert kinds(woman) == [(pii.NIK, woman)]
    for number in (bad_province, bad_month, bad_day):
        assert kinds(number) == [(pii.NUMBER, number)]


def test_kk_is_told_apart_by_its_context():
    # given a 16-digit number after "no KK"
    text = "no KK 3578011203900002 atas nama kepala keluarga"
    # when / then it is a KK
    assert kinds(text)[0] == (pii.KK, "3578011203900002")


@pytest.mark.parametrize(
    "phone",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 789",
        "+62 812-3456-7890",
        "+6281234567890",
        "(+62)81234567890",
        "6281234567890",
        "0812.3456.7890",
        "(031) 5678901",
        "021-56789012",
    ],
)
def test_indonesian_phone_formats_are_found(phone):
    # given a phone number in a sentence
    text = f"hubungi saya di {phone} ya"
    # when / then the number is one TELEPON span
    assert kinds(text) == [(pii.PHONE, phone)]
    assert pii.mask(text) == "hubungi saya di [TELEPON] ya"


@pytest.mark.parametrize(
    "text",
    [
        "Sudah bayar Rp 1.500.000 pada tanggal 01-05-2022.",
        "laporan LAPOR! nomor 5216807 belum dijawab",
        "antri dari jam 08.30 sampai 14.00",
        "rumah no 12 kebanjiran tahun 2021, KM 5",
        "RT dan RW sudah dihubungi",
        "tagihan 02/2023 naik jadi 350.000 rupiah, 120 KK terdampak",
        "Pak Lurah dan Bu Camat sudah tahu, mohon Bapak segera memperbaiki",
        "Kepada Yth. Bapak Walikota Surabaya",
    ],
)
def test_look_alikes_are_left_alone(text):
    # given amounts, dates, LAPOR! ids, times, house numbers and roles
    # when / then nothing is masked
    assert pii.find(text) == []
    assert pii.mask(text) == text


@pytest.mark.parametrize(
    "text, name",
    [
        ("PAK BAMBANG SUSILO MOHON DIBANTU", "BAMBANG SUSILO"),
        ("NAMA : SITI AMINAH", "SITI AMINAH"),
        ("atas nama HADI SUHENDAR tidak cair", "HADI SUHENDAR"),
        ("Bapak Joko Widodo sudah datang", "Joko Widodo"),
        ("ibu siti aminah tidak dilayani", "siti aminah"),
        ("perkenalkan saya Rahmat Hidayat warga", "Rahmat Hidayat"),
        ("nama saya dewi lestari mohon bantuan", "dewi lestari"),
        ("Sdr. Rudi Hartono,", "Rudi Hartono"),
    ],
)
def test_names_after_honorifics_and_nama_are_found_in_any_case(text, name):
    # given a name after an honorific or "nama", in capitals, Title Case or lower case
    # when / then the name (and only the name) is one NAMA span
    assert kinds(text) == [(pii.NAME, name)]


def test_addresses_street_with_number_and_rt_rw():
    # given a home address with a street and number, RT/RW in several spellings
    text = "tinggal di Jl. Melati Raya No. 12A RT 03/RW 05, dekat rt.3 rw.5 dan RT.003 RW.005"
    # when
    found = kinds(text)
    # then each is an address, and the street alone (a complaint's place) is left
    assert found == [
        (pii.ADDRESS, "Jl. Melati Raya No. 12A"),
        (pii.ADDRESS, "RT 03/RW 05"),
        (pii.ADDRESS, "rt.3 rw.5"),
        (pii.ADDRESS, "RT.003 RW.005"),
    ]
    assert pii.find("jalan Ahmad Yani berlubang besar") == []


def test_plates_need_a_real_region_code():
    # given plates and plate-like codes
    # when / then real region codes are plates; RT, KM and times are not
    assert kinds("mobil L 1234 AB parkir") == [(pii.PLATE, "L 1234 AB")]
    assert kinds("nopol dk 4567 xy") == [(pii.PLATE, "dk 4567 xy")]
    assert [s.kind for s in pii.find("RT 05 RW 02")] == [pii.ADDRESS]
    assert pii.find("di KM 12 arah kota") == [] and pii.find("jam 10 WIB") == []


def test_email_including_spelled_out_at():
    # given e-mail addresses, one with [at] and [dot]
    text = "kirim ke budi.s_99@yahoo.co.id atau budi [at] gmail [dot] com"
    # when / then both are masked
    assert pii.mask(text) == "kirim ke [EMAIL] atau [EMAIL]"


def test_mask_merges_the_officers_extra_spans():
    # given a text where the officer adds a shop name and a found phone inside it
    text = "Toko Maju Jaya milik Bapak Andi Wijaya, telp 081234567890"
    extra = pii.spans_for(text, ["toko maju jaya", "  "])
    # when
    masked = pii.mask(text, extra_spans=extra)
    # then every extra occurrence and every found identifier is masked
    assert masked == "[DISAMARKAN] milik Bapak [NAMA], telp [TELEPON]"


def test_mask_of_a_masked_text_changes_nothing():
    # given a text already masked
    once = pii.mask("Ibu Sri Rahayu, NIK 3578015503900001, HP +62 812 3456 7890")
    # when / then masking again is stable
    assert pii.mask(once) == once
    assert "[NAMA]" in once and "[NIK]" in once and "[TELEPON]" in once
