"""Demo improvement actions and an incident on the demo cases (development databases only)."""

import io
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from tanggap.accounts.models import Unit, User
from tanggap.cases.choices import CLOSED_STATUSES
from tanggap.cases.models import Case
from tanggap.intake.demo import DPMPTSP, INTELKAM, POLRES, DemoConflict
from tanggap.intake.uploads import clean_upload
from tanggap.surveys.models import SurveyPeriod

from . import services
from .models import ImprovementAction
from .selectors import weak_elements

KP, KD, PD = "kepala.polres", "kepala.dpmptsp", "petugas.dpmptsp"
SKCK_TITLE = "Antrean dan ruang tunggu SKCK diperbaiki"
ACCESS_TITLE = "Kantor DPMPTSP ramah difabel: pegangan tangga dan formulir"
SKCK_CASES = (
    "Antrean SKCK panjang bgt, loket cuma 1",
    "Kursi ruang tunggu SKCK kurang",
    "Pendaftaran SKCK online tolong diaktifkan",
)
ACCESS_CASES = ("Tangga ke lantai 2 tdk ada pegangan", "Formulir tdk bisa dibaca pembaca layar")
OSS_CASES = ("OSS minta isi KBLI ulang terus",)


@dataclass
class DemoResult:
    actions: int = 0
    incidents: int = 0
    linked: int = 0
    skipped: list[str] = field(default_factory=list)


def demo_exists() -> bool:
    """Return whether the demo actions were loaded."""
    return ImprovementAction.objects.filter(title=SKCK_TITLE).exists()


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise DemoConflict(f"The demo account {username} is missing: run demo_handling first.")
    return user


def _cases(unit: Unit, titles, result: DemoResult, *, open_only=False) -> list[Case]:
    found = []
    for title in titles:
        qs = Case.objects.filter(unit__path__startswith=unit.path, title=title)
        if open_only:
            qs = qs.exclude(status__in=CLOSED_STATUSES)
        case = qs.first()
        if case is None:
            result.skipped.append(title)
        else:
            found.append(case)
    return found


def _picture(text: str) -> bytes:
    image = Image.new("RGB", (480, 320), (214, 226, 240))
    ImageDraw.Draw(image).text((24, 140), text, fill=(20, 40, 80))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


def _skck_action(result: DemoResult) -> None:
    polres, head = Unit.objects.get(slug=POLRES), _user(KP)
    action = services.action_create(
        unit=polres,
        by=head,
        title=SKCK_TITLE,
        description=(
            "Warga melaporkan antrean SKCK yang panjang dengan satu loket dan kursi ruang tunggu "
            "yang kurang. Kami membuka loket kedua pada jam sibuk, menambah 20 kursi dan "
            "menyiapkan pendaftaran SKCK daring."
        ),
        owner=head,
        target_date=timezone.localdate() + timedelta(days=45),
    )
    # Published first, so the reporters' messages carry the public page's link.
    services.action_publish(action=action, by=head, publish=True)
    for case in _cases(polres, SKCK_CASES, result):
        services.action_case_link(action=action, case=case, by=head)
        result.linked += 1
    first = services.milestone_add(action=action, by=head, title="Loket kedua dibuka 08.00-12.00")
    services.milestone_add(action=action, by=head, title="20 kursi tambahan di ruang tunggu")
    services.milestone_add(
        action=action,
        by=head,
        title="Pendaftaran SKCK daring",
        due=timezone.localdate() + timedelta(days=40),
    )
    services.milestone_done(milestone=first, by=head)
    services.action_progress_set(
        action=action,
        by=head,
        status="in_progress",
        progress=40,
        message="Loket kedua kini buka setiap pagi; kursi tambahan sedang diadakan.",
    )
    result.actions += 1


def _access_action(result: DemoResult) -> None:
    dpmptsp, head = Unit.objects.get(slug=DPMPTSP), _user(KD)
    action = services.action_create(
        unit=dpmptsp,
        by=head,
        title=ACCESS_TITLE,
        description=(
            "Pegangan tangga ke lantai 2 dipasang dan formulir daring diperbaiki agar dapat "
            "dibaca pembaca layar."
        ),
        owner=head,
        target_date=timezone.localdate() + timedelta(days=30),
    )
    services.action_publish(action=action, by=head, publish=True)
    for case in _cases(dpmptsp, ACCESS_CASES, result):
        services.action_case_link(action=action, case=case, by=head)
        result.linked += 1
    period = SurveyPeriod.objects.filter(unit=dpmptsp).order_by("-starts_on").first()
    if period is not None and (weak := weak_elements(period, limit=1)):
        services.action_finding_link(action=action, period=period, element=weak[0][0], by=head)
    photo = clean_upload("tangga-sebelum.jpg", _picture("Tangga lantai 2: belum ada pegangan"))
    services.evidence_add(
        action=action, by=head, stage="before", caption="Tangga ke lantai 2", file=photo
    )
    result.actions += 1


def _oss_incident(result: DemoResult) -> None:
    dpmptsp, officer = Unit.objects.get(slug=DPMPTSP), _user(PD)
    incident = services.incident_create(
        unit=dpmptsp,
        by=officer,
        title="Gangguan sistem OSS",
        description=(
            "Sebagian pemohon tidak dapat menyimpan data di OSS. Gangguan ada pada layanan pusat; "
            "petugas gerai membantu pendaftaran manual."
        ),
        started_at=timezone.now() - timedelta(days=3),
    )
    cases = _cases(dpmptsp, OSS_CASES, result, open_only=True)
    if cases:
        services.incident_cases_link(incident=incident, cases=cases, by=officer)
        result.linked += len(cases)
    services.incident_update_post(
        incident=incident,
        by=officer,
        message="Penyedia OSS sedang memperbaiki; data sudah bisa disimpan oleh sebagian pengguna.",
        status="monitoring",
    )
    result.incidents += 1


@transaction.atomic
def demo_load() -> DemoResult:
    """Create two published actions and a monitored incident on the demo cases."""
    if not Unit.objects.filter(slug=INTELKAM).exists():
        raise DemoConflict("The demo units are missing: run demo_data first.")
    result = DemoResult()
    _skck_action(result)
    _access_action(result)
    _oss_incident(result)
    return result
