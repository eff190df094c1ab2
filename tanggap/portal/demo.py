"""Publish a few demo cases on the transparency portal (after intake's demo data)."""

from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import user_can
from tanggap.cases.models import Case
from tanggap.intake import demo as intake_demo

from .models import Publication
from .preview import masked, source_texts
from .services import PublicationInput, case_is_confidential, publication_publish

DEMO_PUBLISHERS = ("petugas.spkt", "petugas.dpmptsp")
PER_UNIT = 3


def demo_portal_load() -> list[str]:
    """Publish up to PER_UNIT non-confidential demo cases per unit; return their references.

    Once any demo case is published, a second run publishes nothing new.
    """
    from tanggap.accounts.models import User  # noqa: PLC0415

    demo_cases = Case.objects.filter(organisation__slug__in=intake_demo.ORGANISATION_SLUGS)
    if Publication.objects.filter(case__in=demo_cases).exists():
        return []
    published = []
    for username in DEMO_PUBLISHERS:
        officer = User.objects.filter(username=username).first()
        if officer is None:
            continue
        cases = (
            demo_cases.filter(publication__isnull=True, is_confidential=False)
            .exclude(reject_reason__in=["spam", "abusive"])
            .select_related("unit")
            .order_by("-received_at", "id")
        )
        count = 0
        for case in cases:
            if count >= PER_UNIT:
                break
            if not user_can(officer, Capability.HANDLE_CASES, case.unit):
                continue
            if case_is_confidential(case):
                continue
            texts = masked(source_texts(case), [])
            publication_publish(case=case, by=officer, data=PublicationInput(**texts))
            published.append(case.reference)
            count += 1
    return published
