"""Scoped reads: a constant number of queries whatever the number of imports or cases."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tanggap.intake.tests.factories import submit_report
from tanggap.integrations.lapor.selectors import export_cases, imports_visible_to
from tanggap.integrations.lapor.services import import_upload
from tanggap.responses.services.replies import reply_draft_save, reply_publish

from .conftest import csv_bytes, lapor_row

pytestmark = pytest.mark.django_db


def test_the_import_list_reads_in_two_queries(officer, spkt, django_assert_num_queries):
    # given three imports
    for n in range(3):
        data = csv_bytes([lapor_row(str(n))])
        import_upload(user=officer, unit=spkt, fmt="lapor", name=f"{n}.csv", data=data)

    # when the list is read with its units and uploaders, then the query count is fixed
    with django_assert_num_queries(2):  # the user's memberships, then the imports
        rows = [(b.unit.name, b.uploaded_by.username) for b in imports_visible_to(officer)]
    assert len(rows) == 3


def test_the_export_reads_in_a_fixed_number_of_queries(
    officer, spkt, other_officer, dpmptsp, django_assert_num_queries
):
    # given cases with replies in this unit and one in another organisation
    for n in range(3):
        case = submit_report(spkt, external_source="lapor", external_ref=str(n)).report.case
        reply_publish(
            reply=reply_draft_save(case=case, by=officer, body="Sudah ditangani.", is_final=True),
            by=officer,
        )
    submit_report(dpmptsp)
    today = timezone.localdate()

    # when the export reads them, then it is a few queries whatever their number
    with django_assert_num_queries(6):
        cases = list(
            export_cases(user=officer, unit=spkt, start=today - timedelta(days=1), end=today)
        )
        follow_ups = [c.follow_ups[0].body for c in cases]
    assert follow_ups == ["Sudah ditangani."] * 3
