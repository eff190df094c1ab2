"""Reply reads: settings inherited down the tree, templates in scope, lists in few queries."""

import pytest

from tanggap.accounts.tests.factories import UnitFactory
from tanggap.intake.tests.factories import clean_jpeg
from tanggap.responses.selectors import (
    approval_queue,
    case_replies,
    published_replies,
    reply_settings_for,
    templates_for,
)
from tanggap.responses.services import reply_approve, reply_draft_save, reply_submit
from tanggap.responses.tests.factories import (
    ReplySettingsFactory,
    ReplyTemplateFactory,
    report_in_progress,
)

pytestmark = pytest.mark.django_db
ANSWER = "Petugas loket SKCK sudah kami tambah mulai hari ini."


def test_settings_come_from_the_nearest_unit_up_the_tree(spkt):
    child = UnitFactory(organisation=spkt.organisation, parent=spkt, name="Pos")
    grandchild = UnitFactory(organisation=spkt.organisation, parent=child, name="Subpos")
    top = ReplySettingsFactory(unit=spkt)
    own = ReplySettingsFactory(unit=child, requires_approval=True)

    assert reply_settings_for(grandchild) == own
    assert reply_settings_for(spkt) == top


def test_without_settings_the_defaults_apply_and_nothing_is_written(dpmptsp):
    found = reply_settings_for(dpmptsp)

    assert found.pk is None and not found.requires_approval
    assert found.number_format == "{seq}/{unit}/{year}"


def test_a_case_offers_its_organisations_and_its_units_templates_only(spkt, dpmptsp, officer):
    sibling = UnitFactory(organisation=spkt.organisation, name="Satlantas")
    wide = ReplyTemplateFactory(organisation=spkt.organisation, name="Umum")
    own = ReplyTemplateFactory(unit=spkt, name="SPKT")
    ReplyTemplateFactory(unit=sibling, name="Satlantas")
    ReplyTemplateFactory(unit=dpmptsp, name="Lain")
    ReplyTemplateFactory(unit=spkt, name="Lama", is_active=False)
    report = report_in_progress(spkt, officer)

    assert set(templates_for(report.case)) == {wide, own}


def test_reply_lists_take_two_queries_however_many_replies(
    spkt, officer, supervisor, django_assert_num_queries
):
    ReplySettingsFactory(unit=spkt, requires_approval=True)
    report = report_in_progress(spkt, officer)
    for _ in range(3):
        reply = reply_draft_save(
            case=report.case, by=officer, body=ANSWER, is_final=False, files=[clean_jpeg()]
        )
        reply_submit(reply=reply, by=officer)

    with django_assert_num_queries(2):
        rows = [
            (r.author.username, len(r.attachments.all())) for r in case_replies(case=report.case)
        ]
    with django_assert_num_queries(2):
        queued = [(r.case.unit.name, r.author.username) for r in approval_queue(user=supervisor)]
    for reply in approval_queue(user=supervisor):
        reply_approve(reply=reply, by=supervisor)
    with django_assert_num_queries(2):
        public = [len(r.attachments.all()) for r in published_replies(case=report.case)]

    assert rows == [("petugas", 1)] * 3 and public == [1] * 3
    assert queued == [("SPKT Polres Contoh", "petugas")] * 3
