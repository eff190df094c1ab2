"""The message templates render in Indonesian and in English, with nothing left unfilled."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template.loader import render_to_string
from django.utils import translation

from tanggap.cases.workflow import case_assign
from tanggap.intake.tests.factories import submit_report
from tanggap.notifications.models import Notification

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 11, 16, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
TEMPLATES = ["receipt", "case_update", "staff_alert"]
# Strings the catalogue already translates, one per language.
FOOTER = {
    "id": "Pesan ini dikirim otomatis; balasan ke pesan ini tidak dibaca.",
    "en": "This message was sent automatically; replies to it are not read.",
}
NEXT_STEP = {"id": "Langkah berikutnya", "en": "Next step"}


@pytest.fixture
def context(spkt, supervisor):
    with time_machine.travel(MONDAY, tick=False):
        report = submit_report(spkt).report
    case = report.case
    return {
        "report": report,
        "case": case,
        "event": case.events.get(),
        "user": supervisor,
        "tracking_url": "https://tanggap.example/lacak/",
        "case_url": f"https://tanggap.example/petugas/kasus/{case.pk}/",
    }


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("template", TEMPLATES)
def test_each_template_renders_a_subject_line_and_a_filled_body(context, template, language):
    # when a template is rendered in a language
    with translation.override(language):
        text = render_to_string(f"notifications/{template}.txt", context).strip()

    # then the first line is the subject, naming the report, and nothing is left unfilled
    subject, _, body = text.partition("\n")
    assert context["report"].tracking_code in subject
    assert body.strip()
    for leftover in ("{{", "{%", "None", "%(", "&lt;", "&amp;"):
        assert leftover not in text
    # the deadline is shown in the unit's time zone, Thursday 19 November 10:00 WIB
    assert "19" in text and "10:00" in text and "WIB" in text


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_reporters_messages_speak_the_reporters_language(spkt, supervisor, language):
    # given the footer and the step names of the reporter's language
    with time_machine.travel(MONDAY, tick=False):
        report = submit_report(spkt, language=language).report
        # when a public event is queued for the reporter
        case_assign(case=report.case, by=supervisor)

    # then the update is written in the reporter's language
    update = Notification.objects.get(key__contains=f":report:{report.pk}")
    assert FOOTER[language] in update.body and NEXT_STEP[language] in update.body
    assert report.tracking_code in update.subject


def test_indonesian_dates_use_indonesian_names(context):
    # when the case update is rendered in Indonesian and in English
    with translation.override("id"):
        indonesian = render_to_string("notifications/case_update.txt", context)
    with translation.override("en"):
        english = render_to_string("notifications/case_update.txt", context)

    # then the weekday and month are in the language of the message
    assert "Kamis, 19 November 2026 10:00 WIB" in indonesian
    assert "Thursday, 19 November 2026 10:00 WIB" in english


SHORT_TEMPLATES = [
    f"{channel}/{name}"
    for channel in ("sms", "whatsapp")
    for name in ("receipt", "case_update", "added")
]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("template", SHORT_TEMPLATES)
def test_the_sms_and_whatsapp_texts_name_the_report_with_nothing_unfilled(
    context, template, language
):
    # when a short template is rendered in a language
    with translation.override(language):
        text = render_to_string(f"notifications/{template}.txt", context).strip()

    # then subject and body both name the report, and nothing is left unfilled
    subject, _, body = text.partition("\n")
    assert context["report"].tracking_code in subject
    assert context["report"].tracking_code in body
    for leftover in ("{{", "{%", "None", "%(", "&lt;", "&amp;"):
        assert leftover not in text
