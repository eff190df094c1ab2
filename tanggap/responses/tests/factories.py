"""Factories for reply settings and templates, and a case brought to the point of a reply."""

import factory

from tanggap.cases import workflow
from tanggap.intake.tests.factories import submit_report
from tanggap.responses.models import ReplySettings, ReplyTemplate


class ReplySettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReplySettings
        django_get_or_create = ["unit"]

    letterhead_agency = "KEPOLISIAN RESOR CONTOH"
    letterhead_address = "Jl. Merdeka No. 1 · (0361) 123456"
    place = "Kota Contoh"
    number_code = "SPKT"
    signer_name = "AKP Made Wirawan"
    signer_title = "Kepala SPKT"
    signer_nip = "198001012005011001"


class ReplyTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReplyTemplate

    organisation = factory.LazyAttribute(lambda o: o.unit.organisation if o.unit else None)
    unit = None
    name = factory.Sequence(lambda n: f"Templat {n}")
    body = "Terima kasih atas laporan {kode} tentang “{judul}” kepada {unit} ({tanggal})."


def report_in_progress(unit, officer, **overrides):
    """Submit a report to *unit* and take its case to "in progress" with *officer*."""
    report = submit_report(unit, **overrides).report
    case = workflow.case_verify(case=report.case, by=officer)
    case = workflow.case_assign(case=case, by=officer, officer=officer)
    workflow.case_start(case=case, by=officer)
    report.case.refresh_from_db()
    return report
