"""The SKM period report: its numbers by hand, the PDF, the workbook and the staff downloads.

Three unflagged responses (and one flagged that must not count):

    element     R1 R2 R3  NRR
    waktu        4  3  1  8/3
    biaya        4  3  4  11/3
    pengaduan    4  -  2  3      (R2 left it blank)
    the other 6  4  3  2  3

IKM = 25 x (6 x 3 + 8/3 + 11/3 + 3) / 9 = 25 x 82/27 = 75.925... -> 75.93, grade C.
Service A (R1, R2): NRR 3.5 on eight elements, pengaduan 4 -> 25 x 32/9 = 88.89, A.
Service B (R3): 25 x (2 x 7 + 1 + 4) / 9 = 52.78, D.
"""

import io
import re
from datetime import timedelta
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import (
    MembershipFactory,
    ServiceFactory,
    UnitFactory,
    UserFactory,
)
from tanggap.surveys import charts, report
from tanggap.surveys.elements import ELEMENT_KEYS
from tanggap.surveys.models import SurveyResponse
from tanggap.surveys.services import ResponseInput, response_record
from tanggap.surveys.tests.factories import SurveyPeriodFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://contoh.invalid","klik")'


def answers(value, **overrides):
    return dict.fromkeys(ELEMENT_KEYS, value) | overrides


def record(period, values, **fields):
    response, _ = response_record(
        ResponseInput(
            period=period, channel=fields.pop("channel", "online"), answers=values, **fields
        )
    )
    return response


@pytest.fixture
def unit():
    return UnitFactory(name="DPMPTSP Kota Contoh", slug="dpmptsp-kota-contoh")


@pytest.fixture
def services(unit):
    return ServiceFactory(unit=unit, name="Izin usaha"), ServiceFactory(unit=unit, name="PBG")


@pytest.fixture
def period(unit, services):
    izin, pbg = services
    period = SurveyPeriodFactory(unit=unit, name="Semester II 2026", population=100)
    record(
        period,
        answers(4),
        service=izin,
        gender="L",
        age=25,
        education="S1",
        occupation="PNS",
        comment="Pelayanan cepat.",
    )
    record(
        period,
        answers(3, pengaduan=None),
        service=izin,
        gender="P",
        age=61,
        education="SMA",
        occupation="SWASTA",
        channel="paper",
    )
    record(period, answers(2, waktu=1, biaya=4), service=pbg, age=19, comment=FORMULA)
    flagged = record(period, answers(1), service=pbg, gender="L", age=45, comment="spam")
    SurveyResponse.objects.filter(pk=flagged.pk).update(is_flagged=True, flag_reason="test")
    return period


@pytest.fixture
def data(period):
    with translation.override("id"):
        return report.period_report_data(period)


def by_key(rows):
    return {row["key"]: row for row in rows}


def test_the_index_is_computed_over_unflagged_responses_only(data):
    assert data["respondents"] == 3 and data["flagged"] == 1
    assert str(data["ikm"]) == "75.93"
    assert data["result"].exact == Fraction(25 * 82, 27)
    assert (data["grade"], data["grade_label"]) == ("C", "Kurang baik")
    assert data["target"] == 80 and data["progress"].remaining == 77


def test_nrr_and_answer_counts_per_element(data):
    elements = by_key(data["elements"])

    assert [row["key"] for row in data["elements"]] == list(ELEMENT_KEYS)
    assert elements["waktu"]["nrr"] == Fraction(8, 3)
    assert elements["biaya"]["nrr"] == Fraction(11, 3)
    assert elements["pengaduan"]["nrr"] == 3 and elements["persyaratan"]["nrr"] == 3
    assert elements["waktu"]["counts"] == {1: 1, 2: 0, 3: 1, 4: 1}
    assert elements["biaya"]["counts"] == {1: 0, 2: 0, 3: 1, 4: 2}
    assert elements["pengaduan"]["counts"] == {1: 0, 2: 1, 3: 0, 4: 1}
    assert elements["pengaduan"]["unanswered"] == 1 and elements["waktu"]["unanswered"] == 0
    assert elements["pengaduan"]["name"] == "Penanganan Pengaduan, Saran dan Masukan"


def test_elements_are_ranked_from_the_weakest_and_the_three_weakest_are_priorities(data):
    weakest = [row["key"] for row in data["weakest"]]

    # Ties (NRR 3) keep the regulation's order; biaya is the strongest.
    assert weakest[:3] == ["waktu", "persyaratan", "prosedur"]
    assert weakest[-1] == "biaya"
    assert [row["key"] for row in data["priorities"]] == ["waktu", "persyaratan", "prosedur"]
    assert data["strongest"][0]["key"] == "biaya"
    assert by_key(data["elements"])["waktu"]["rank"] == 1


def test_ikm_per_service(data):
    services = {row["name"]: row for row in data["services"]}

    assert str(services["Izin usaha"]["ikm"]) == "88.89" and services["Izin usaha"]["grade"] == "A"
    assert services["Izin usaha"]["respondents"] == 2
    assert str(services["PBG"]["ikm"]) == "52.78" and services["PBG"]["grade"] == "D"
    assert services["PBG"]["respondents"] == 1


def test_respondent_profile_counts_and_shares(data):
    profile = {
        table["key"]: {row["label"]: row for row in table["rows"]} for table in data["profile"]
    }

    assert profile["gender"]["Laki-laki"]["count"] == 1, "the flagged man is not counted"
    assert profile["gender"]["Perempuan"]["count"] == 1
    assert profile["gender"]["Tidak disebutkan"]["count"] == 1
    assert str(profile["gender"]["Perempuan"]["share"]) == "33.3"
    ages = {label: row["count"] for label, row in profile["age"].items()}
    assert ages == {"< 20": 1, "20–29": 1, "30–39": 0, "40–49": 0, "50–59": 0, "≥ 60": 1}
    assert profile["education"]["S1/D4"]["count"] == 1
    assert sum(row["count"] for row in profile["occupation"].values()) == 3


def test_comments_newest_first_without_the_flagged_ones(data):
    assert data["comment_count"] == 2
    assert [c["text"] for c in data["comments"]] == [FORMULA, "Pelayanan cepat."]
    assert data["comments"][0]["service"] == "PBG"


def test_trend_against_earlier_periods_of_the_same_scope(period, unit, services):
    today = timezone.localdate()
    earlier = SurveyPeriodFactory(
        unit=unit,
        name="Semester I 2026",
        starts_on=today - timedelta(days=200),
        ends_on=today - timedelta(days=100),
    )
    record(earlier, answers(4), answered_on=today - timedelta(days=150))
    # A period of one service only, and another unit's: neither is the same series.
    own_service = SurveyPeriodFactory(
        unit=unit, service=services[0], starts_on=today - timedelta(days=90)
    )
    record(own_service, answers(1), service=services[0], answered_on=today)
    other = SurveyPeriodFactory(starts_on=today - timedelta(days=90))
    record(other, answers(1), answered_on=today)

    trend = report.period_report_data(period)["trend"]

    assert [row["name"] for row in trend] == ["Semester I 2026", "Semester II 2026"]
    assert [str(row["ikm"]) for row in trend] == ["100.00", "75.93"]
    assert trend[0]["change"] is None and str(trend[1]["change"]) == "-24.07"
    assert trend[1]["is_current"] and trend[1]["grade_steps"] == -2


def test_follow_up_hook_is_empty_without_the_model(period, monkeypatch):
    def missing(*args):
        raise LookupError("no such model")

    monkeypatch.setattr(report.apps, "get_model", missing)

    assert report.follow_up_items(period) == []


def test_follow_up_items_appear_when_the_model_exists(period):
    try:
        model = report.apps.get_model("surveys", "FollowUpItem")
    except LookupError:
        pytest.skip("surveys.FollowUpItem has not landed yet")
    model.objects.create(
        period=period,
        element="waktu",
        programme="Tambah petugas loket",
        due=timezone.localdate() + timedelta(days=60),
        responsible="Kepala seksi pelayanan",
    )

    with translation.override("id"):
        items = report.follow_up_items(period)
        text = pdf_text(report.period_report_pdf(period))

    assert [(i["element"], i["element_name"]) for i in items] == [("waktu", "Waktu Penyelesaian")]
    assert "Tambah petugas loket" in text and "Kepala seksi pelayanan" in text


def test_a_period_without_responses_still_gives_a_report(unit):
    period = SurveyPeriodFactory(unit=unit)

    data = report.period_report_data(period)
    pdf = report.period_report_pdf(period)
    workbook = load_workbook(io.BytesIO(report.period_report_xlsx(period)))

    assert data["result"] is None and data["respondents"] == 0 and data["weakest"] == []
    assert pdf.startswith(b"%PDF")
    assert workbook["Data"].max_row == 1


def pdf_text(pdf: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text)


def test_the_pdf_has_the_unit_the_index_the_grade_and_every_section(period):
    with translation.override("id"):
        pdf = report.period_report_pdf(period)
    text = pdf_text(pdf)

    assert pdf.startswith(b"%PDF")
    assert "DPMPTSP Kota Contoh" in text and "Semester II 2026" in text
    assert "75,93" in text
    assert "Kurang baik" in text and re.search(r"\bC\b", text)
    for title in (
        "Pendahuluan",
        "Metode dan pelaksanaan",
        "Hasil",
        "Analisis",
        "Rencana tindak lanjut",
        "Penutup",
    ):
        assert title in text, title
    assert "Waktu Penyelesaian" in text and "Pelayanan cepat." in text
    assert "spam" not in text, "a flagged response's comment is left out"


def test_the_pdf_follows_the_active_language(period):
    with translation.override("en"):
        text = pdf_text(report.period_report_pdf(period))

    assert "75.93" in text and "Fair" in text
    for title in ("Introduction", "Method and implementation", "Results", "Follow-up plan"):
        assert title in text, title
    assert "Completion time" in text


def test_the_workbook_holds_the_index_the_elements_and_one_row_per_response(period):
    with translation.override("id"):
        workbook = load_workbook(io.BytesIO(report.period_report_xlsx(period)))

    assert workbook.sheetnames == ["Ringkasan", "Unsur", "Layanan", "Profil", "Komentar", "Data"]
    summary = {row[0]: row[1] for row in workbook["Ringkasan"].iter_rows(values_only=True)}
    assert summary["IKM"] == pytest.approx(75.93) and summary["Mutu"] == "C"
    assert summary["Responden"] == 3

    elements = list(workbook["Unsur"].iter_rows(min_row=2, values_only=True))
    assert len(elements) == 9
    nrr = {row[1]: row[3] for row in elements}
    assert nrr["waktu"] == pytest.approx(2.6667) and nrr["biaya"] == pytest.approx(3.6667)

    services = {
        row[0]: row[2] for row in workbook["Layanan"].iter_rows(min_row=2, values_only=True)
    }
    assert services == {"Izin usaha": pytest.approx(88.89), "PBG": pytest.approx(52.78)}

    data = list(workbook["Data"].iter_rows(values_only=True))
    header, rows = data[0], data[1:]
    assert len(rows) == 3
    assert list(header[3:12]) == list(ELEMENT_KEYS)
    assert "source_digest" not in header and "client_key" not in header
    assert sorted(row[header.index("waktu")] for row in rows) == [1, 3, 4]
    assert any(row[header.index("pengaduan")] is None for row in rows)


def test_a_comment_that_looks_like_a_formula_stays_text(period):
    workbook = load_workbook(io.BytesIO(report.period_report_xlsx(period)))

    cells = [row[2] for row in workbook["Komentar"].iter_rows(min_row=2)]

    assert [cell.value for cell in cells] == [FORMULA, "Pelayanan cepat."]
    assert cells[0].data_type == "s"


def test_charts_are_escaped_accessible_svg():
    svg = charts.nrr_bar_chart(
        [("<Persyaratan & co>", 3.5), ("Biaya", None)],
        title="NRR <per> unsur",
        bands=[("A", 3.5324), ("B", 3.0644), ("C", 2.6), ("D", 1.0)],
    )
    stacked = charts.distribution_chart(
        [("Waktu", [1, 0, 1, 1, 0])], title="Jawaban", series=["1", "2", "3", "4", "kosong"]
    )

    assert svg.startswith("<svg") and "<title>NRR &lt;per&gt; unsur</title>" in svg
    assert "&lt;Persyaratan &amp; co&gt;" in svg and "<Persyaratan" not in svg
    assert "3.50" in svg
    assert stacked.count("<rect") == 5 + 3, "five legend swatches and three non-empty segments"
    assert "33%" in stacked


def member(unit, role, name):
    user = UserFactory(username=name)
    MembershipFactory(user=user, unit=unit, role=role)
    return user


@pytest.mark.parametrize(
    ("name", "content_type", "extension"),
    [
        ("surveys_staff:period_report_pdf", "application/pdf", "pdf"),
        ("surveys_staff:period_report_xlsx", report.XLSX_TYPE, "xlsx"),
    ],
)
def test_a_supervisor_downloads_the_report_of_the_unit(
    client, period, name, content_type, extension
):
    client.force_login(member(period.unit, Role.SUPERVISOR, "kepala"))

    response = client.get(reverse(name, args=[period.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="skm-dpmptsp-kota-contoh-{period.pk}.{extension}"'
    )
    assert response.content[:4] in (b"%PDF", b"PK\x03\x04")


@pytest.mark.parametrize(
    "name", ["surveys_staff:period_report_pdf", "surveys_staff:period_report_xlsx"]
)
def test_another_units_supervisor_gets_404(client, period, name):
    client.force_login(member(UnitFactory(), Role.SUPERVISOR, "kepala.lain"))

    assert client.get(reverse(name, args=[period.pk])).status_code == 404


def test_an_officer_of_the_unit_without_survey_rights_gets_404(client, period):
    client.force_login(member(period.unit, Role.OFFICER, "petugas"))

    response = client.get(reverse("surveys_staff:period_report_pdf", args=[period.pk]))

    assert response.status_code == 404


def test_the_period_page_links_to_both_downloads(client, period):
    client.force_login(member(period.unit, Role.SUPERVISOR, "kepala"))

    page = client.get(reverse("surveys_staff:period_detail", args=[period.pk])).content.decode()

    assert reverse("surveys_staff:period_report_pdf", args=[period.pk]) in page
    assert reverse("surveys_staff:period_report_xlsx", args=[period.pk]) in page
