"""Demo Open311 services for the demo units, the demo key and a few requests.

DEMO DATA ONLY. The key ``DEMO-OPEN311-KEY`` is public knowledge: ``demo_open311`` refuses to
run when DEBUG is off unless forced, so it never reaches a production database.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from tanggap.accounts.models import Category, Organisation, Service, Unit
from tanggap.cases.choices import ReportKind
from tanggap.intake import demo as intake_demo

from .choices import Datatype, ServiceType
from .models import ServiceAttribute, ServiceDefinition
from .params import SubmissionInput
from .services import api_key_issue, request_submit

DEMO_KEY = "DEMO-OPEN311-KEY"  # noqa: S105 - the published demo key, demo databases only
DEMO_KEY_NAME = "Demo client (demo data only)"


def _choices(*pairs: str) -> list[dict]:
    return [{"key": key, "name": name} for key, name in zip(pairs[::2], pairs[1::2], strict=True)]


# (code, unit slug, service code, category, kind, type, publish, confidential, group, name,
#  description, notice, attributes as (code, datatype, required, question, values))
SERVICES = (
    (
        "polres-spkt-pelayanan", intake_demo.SPKT, "pengaduan-masyarakat", "Pelayanan petugas",
        ReportKind.COMPLAINT, ServiceType.REALTIME, False, False, "Kepolisian",
        "Pengaduan pelayanan SPKT", "Keluhan tentang pelayanan di SPKT Polres Kota Contoh.",
        "SPKT buka 24 jam; pengaduan dijawab paling lambat 5 hari kerja.",
        (
            ("jenis_masalah", Datatype.SINGLEVALUELIST, True, "Apa masalahnya?",
             _choices("antrian", "Antrian lama", "sikap", "Sikap petugas",
                      "pungutan", "Pungutan di luar ketentuan", "lainnya", "Lainnya")),
            ("waktu_kejadian", Datatype.DATETIME, False, "Kapan terjadi?", []),
        ),
    ),
    (
        "polres-petugas-rahasia", intake_demo.SPKT, None, "Pelayanan petugas",
        ReportKind.COMPLAINT, ServiceType.BATCH, False, True, "Kepolisian",
        "Pengaduan tentang petugas (rahasia)",
        "Laporan tentang perilaku petugas; identitas pelapor dirahasiakan.", "",
        (),
    ),
    (
        "polres-lantas-rambu", intake_demo.LANTAS, None, "Sarana dan prasarana",
        ReportKind.COMPLAINT, ServiceType.REALTIME, True, False, "Lalu lintas",
        "Rambu atau marka jalan rusak", "Rambu lalu lintas hilang, rusak atau tertutup.", "",
        (
            ("jenis_rambu", Datatype.MULTIVALUELIST, False, "Apa yang rusak?",
             _choices("rambu", "Rambu", "marka", "Marka jalan", "lampu", "Lampu lalu lintas")),
        ),
    ),
    (
        "dpmptsp-pbg", intake_demo.DPMPTSP, "pbg", "Perizinan bangunan",
        ReportKind.COMPLAINT, ServiceType.REALTIME, False, False, "Perizinan",
        "Pengaduan layanan PBG", "Keluhan tentang Persetujuan Bangunan Gedung.", "",
        (
            ("nomor_permohonan", Datatype.STRING, False, "Nomor permohonan (bila ada)", []),
        ),
    ),
    (
        "mpp-sarana", intake_demo.MPP, None, "Sarana dan prasarana",
        ReportKind.SUGGESTION, ServiceType.REALTIME, True, False, "Perizinan",
        "Saran sarana Mal Pelayanan Publik", "Saran tentang ruang tunggu, parkir, toilet.", "",
        (),
    ),
)  # fmt: skip

# (service code, description, latitude, longitude, address, attributes)
REQUESTS = (
    ("polres-lantas-rambu", "Rambu dilarang parkir di depan pasar roboh sejak kemarin.",
     "-7.262100", "112.738900", "Jl. Pasar Besar, Kota Contoh", {"jenis_rambu": ["rambu"]}),
    ("polres-spkt-pelayanan", "Antrian pembuatan laporan kehilangan sangat lama malam ini.",
     None, None, "SPKT Polres Kota Contoh", {"jenis_masalah": "antrian"}),
    ("polres-petugas-rahasia", "Petugas jaga meminta uang untuk surat keterangan.",
     None, None, "SPKT Polres Kota Contoh", {}),
)  # fmt: skip


class DemoMissing(Exception):
    """The demo units are not loaded: demo_data must run first."""


@dataclass
class Result:
    services: int
    requests: int


def demo_exists() -> bool:
    """Return whether the demo Open311 services are already loaded."""
    return ServiceDefinition.objects.filter(service_code=SERVICES[0][0]).exists()


@transaction.atomic
def demo_load() -> Result:
    """Create the demo services, the demo key (Polres organisation) and three requests."""
    units = {u.slug: u for u in Unit.objects.filter(slug__in=[row[1] for row in SERVICES])}
    if len(units) != len({row[1] for row in SERVICES}):
        raise DemoMissing
    definitions = {row[0]: _definition(row, units[row[1]]) for row in SERVICES}
    polres = Organisation.objects.get(slug=intake_demo.POLRES)
    key = api_key_issue(name=DEMO_KEY_NAME, organisation=polres, raw=DEMO_KEY).key
    for code, description, lat, long, address, answers in REQUESTS:
        request_submit(
            api_key=key,
            definition=definitions[code],
            data=SubmissionInput(
                description=description,
                latitude=Decimal(lat) if lat else None,
                longitude=Decimal(long) if long else None,
                address_string=address,
                attributes=answers,
            ),
            language="id",
        )
    return Result(services=len(definitions), requests=len(REQUESTS))


def _definition(row, unit: Unit) -> ServiceDefinition:
    (code, _unit, service_code, category, kind, type_, publish, confidential, group, name,
     description, notice, attributes) = row  # fmt: skip
    definition = ServiceDefinition.objects.create(
        service_code=code,
        name=name,
        description=description,
        group=group,
        unit=unit,
        service=Service.objects.filter(unit=unit, code=service_code).first()
        if service_code
        else None,
        category=Category.objects.filter(organisation=unit.organisation, name=category).first(),
        kind=kind,
        type=type_,
        service_notice=notice,
        publish_details=publish,
        is_confidential=confidential,
    )
    for order, (attr_code, datatype, required, question, values) in enumerate(attributes, 1):
        ServiceAttribute.objects.create(
            definition=definition,
            code=attr_code,
            order=order,
            datatype=datatype,
            required=required,
            description=question,
            values=values,
        )
    return definition
