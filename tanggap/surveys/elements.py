"""Define the nine SKM service elements (unsur) of PermenPAN-RB 14/2017, keyed by name.

Pure module: no Django, no database. Names follow domain.md 1.2; questions and the
four answer labels (value 1..4, a=1 .. d=4) follow the Lampiran sample questionnaire
as quoted in domain.md 1.3.

Elements are identified by key, never by position: the regulation body lists
pengaduan (h) before sarana (i) while the sample questionnaire asks sarana as Q8 and
pengaduan as Q9 (domain.md 1.2, "Disagreement on element order"). ``ELEMENT_KEYS``
follows the body; ``QUESTIONNAIRE_ORDER`` follows the sample form. Every English text
is our own translation: domain.md gives Indonesian wording only.
"""

from __future__ import annotations

from dataclasses import dataclass

type Answers = tuple[str, str, str, str]

ELEMENT_KEYS: tuple[str, ...] = (
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya",
    "produk",
    "kompetensi",
    "perilaku",
    "pengaduan",
    "sarana",
)

# The order of the Lampiran sample form (Q8 = sarana, Q9 = pengaduan), for forms only.
QUESTIONNAIRE_ORDER: tuple[str, ...] = (
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya",
    "produk",
    "kompetensi",
    "perilaku",
    "sarana",
    "pengaduan",
)

ANSWER_VALUES: tuple[int, ...] = (1, 2, 3, 4)


@dataclass(frozen=True)
class Element:
    """Describe one SKM element with its standard question and answer labels."""

    key: str
    name_id: str
    name_en: str
    question_id: str
    question_en: str
    answers_id: Answers
    answers_en: Answers

    def label_id(self, value: int) -> str:
        """Return the Indonesian label of answer ``value`` (1..4)."""
        return self.answers_id[_answer_index(value)]

    def label_en(self, value: int) -> str:
        """Return the English label of answer ``value`` (1..4)."""
        return self.answers_en[_answer_index(value)]


def _answer_index(value: int) -> int:
    """Map an answer value 1..4 to a tuple index, refusing anything else."""
    if isinstance(value, bool) or value not in ANSWER_VALUES:
        raise ValueError(f"answer value must be an integer 1-4, got {value!r}")
    return value - 1


ELEMENTS: dict[str, Element] = {
    element.key: element
    for element in (
        Element(
            key="persyaratan",
            name_id="Persyaratan",
            name_en="Requirements",
            question_id=(
                "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan "
                "dengan jenis pelayanannya?"
            ),
            question_en=(
                "What is your opinion of how well the service requirements fit the type of service?"
            ),
            answers_id=("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
            answers_en=("Not appropriate", "Less appropriate", "Appropriate", "Very appropriate"),
        ),
        Element(
            key="prosedur",
            name_id="Sistem, Mekanisme, dan Prosedur",
            name_en="Systems, mechanisms and procedures",
            question_id=(
                "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"
            ),
            question_en="How easy do you find the service procedure at this unit?",
            answers_id=("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
            answers_en=("Not easy", "Less easy", "Easy", "Very easy"),
        ),
        Element(
            key="waktu",
            name_id="Waktu Penyelesaian",
            name_en="Completion time",
            question_id=(
                "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"
            ),
            question_en="What is your opinion of how quickly the service was delivered?",
            answers_id=("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
            answers_en=("Not fast", "Less fast", "Fast", "Very fast"),
        ),
        Element(
            key="biaya",
            name_id="Biaya/Tarif",
            name_en="Cost/tariff",
            question_id="Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
            question_en="What is your opinion of the fairness of the service cost or tariff?",
            # "Gratis" is the best answer: a free service scores 4 (domain.md 1.3).
            answers_id=("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
            answers_en=("Very expensive", "Fairly expensive", "Cheap", "Free"),
        ),
        Element(
            key="produk",
            name_id="Produk Spesifikasi Jenis Pelayanan",
            name_en="Product specification of the service type",
            question_id=(
                "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
                "tercantum dalam standar pelayanan dengan hasil yang diberikan?"
            ),
            question_en=(
                "What is your opinion of how well the service product you received matches "
                "what the service standard states?"
            ),
            answers_id=("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
            answers_en=("Not appropriate", "Less appropriate", "Appropriate", "Very appropriate"),
        ),
        Element(
            key="kompetensi",
            name_id="Kompetensi Pelaksana",
            name_en="Staff competence",
            question_id=(
                "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"
            ),
            question_en="What is your opinion of the competence or ability of the service staff?",
            answers_id=("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
            answers_en=("Not competent", "Less competent", "Competent", "Very competent"),
        ),
        Element(
            key="perilaku",
            name_id="Perilaku Pelaksana",
            name_en="Staff conduct",
            # Verbatim from domain.md 1.3, including the missing "tentang".
            question_id=(
                "Bagaimana pendapat Saudara perilaku petugas dalam pelayanan terkait "
                "kesopanan dan keramahan?"
            ),
            question_en=(
                "What is your opinion of the staff's conduct in terms of courtesy and friendliness?"
            ),
            answers_id=(
                "Tidak sopan dan ramah",
                "Kurang sopan dan ramah",
                "Sopan dan ramah",
                "Sangat sopan dan ramah",
            ),
            answers_en=(
                "Not polite and friendly",
                "Less polite and friendly",
                "Polite and friendly",
                "Very polite and friendly",
            ),
        ),
        Element(
            key="pengaduan",
            name_id="Penanganan Pengaduan, Saran dan Masukan",
            name_en="Handling of complaints, suggestions and feedback",
            question_id=(
                "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"
            ),
            question_en="What is your opinion of how complaints from service users are handled?",
            answers_id=(
                "Tidak ada",
                "Ada tetapi tidak berfungsi",
                "Berfungsi kurang maksimal",
                "Dikelola dengan baik",
            ),
            answers_en=(
                "None",
                "Exists but does not work",
                "Works, but not fully",
                "Well managed",
            ),
        ),
        Element(
            key="sarana",
            name_id="Sarana dan prasarana",
            name_en="Facilities and infrastructure",
            question_id="Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
            question_en="What is your opinion of the quality of the facilities and infrastructure?",
            answers_id=("Buruk", "Cukup", "Baik", "Sangat Baik"),
            answers_en=("Poor", "Fair", "Good", "Very good"),
        ),
    )
}
