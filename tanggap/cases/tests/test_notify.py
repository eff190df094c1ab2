"""Reporters are told on the channel their report came from; SMS stays one message long."""

import pytest
from django.core import mail

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory
from tanggap.cases.choices import Channel
from tanggap.cases.workflow import case_assign, case_request_information
from tanggap.intake.tests.factories import submit_report
from tanggap.notifications.models import Notification, NotificationChannel

pytestmark = pytest.mark.django_db


def update_of(report) -> Notification:
    return Notification.objects.get(key__contains=f":report:{report.pk}")


@pytest.mark.parametrize(
    ("channel", "email", "expected"),
    [
        (Channel.WHATSAPP, "", NotificationChannel.WHATSAPP),
        (Channel.SMS, "", NotificationChannel.SMS),
        (Channel.SMS, "budi@example.com", NotificationChannel.SMS),
        (Channel.WEB, "budi@example.com", NotificationChannel.EMAIL),
        (Channel.PHONE, "budi@example.com", NotificationChannel.EMAIL),
    ],
)
def test_the_update_goes_back_on_the_reports_own_channel(
    spkt, supervisor, channel, email, expected
):
    # given a report that came by *channel* with a phone (and perhaps an e-mail)
    report = submit_report(spkt, channel=channel, email=email, phone="0812-0000-1234").report

    # when a public event happens on its case
    case_assign(case=report.case, by=supervisor)

    # then the update is queued on the expected channel
    assert update_of(report).channel == expected


def test_a_phone_only_web_reporter_gets_sms_only_where_configured(spkt, supervisor, settings):
    first = submit_report(spkt, email="", phone="0812-0000-1234").report
    case_assign(case=first.case, by=supervisor)
    assert not Notification.objects.filter(key__contains=f":report:{first.pk}").exists()

    settings.TANGGAP_SMS_FOR_PHONE_ONLY = True
    second = submit_report(spkt, email="", phone="0812-0000-5678").report
    case_assign(case=second.case, by=supervisor)
    assert update_of(second).channel == NotificationChannel.SMS


def test_a_reporter_without_contact_is_not_told(spkt, supervisor):
    report = submit_report(spkt, email="", phone="").report
    case_assign(case=report.case, by=supervisor)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("language", ["id", "en"])
def test_an_sms_update_fits_one_message_and_a_reply_two(dpmptsp, supervisor, language):
    # given an SMS report to the office, handled by a supervisor there
    MembershipFactory(user=supervisor, unit=dpmptsp, role=Role.SUPERVISOR)
    report = submit_report(
        dpmptsp, channel=Channel.SMS, email="", language=language, phone="081300001111"
    ).report

    # when the case is disposed, then the office asks at length for information
    case_assign(case=report.case, by=supervisor)
    disposed = Notification.objects.get(key__contains=f":report:{report.pk}").body
    case_request_information(case=report.case, by=supervisor, message="Mohon kirim " * 40)
    asked = Notification.objects.filter(key__contains=f":report:{report.pk}").latest("id").body

    # then an update is one SMS (160), and one with the officer's words at most two (306)
    assert len(disposed) <= 160, disposed
    assert len(asked) <= 306, asked
    assert report.tracking_code in disposed and "Mohon kirim" in asked


def test_email_reporters_still_get_the_full_email(
    spkt, supervisor, django_capture_on_commit_callbacks
):
    report = submit_report(spkt, email="siti@example.com").report
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case_assign(case=report.case, by=supervisor)

    assert [m.to for m in mail.outbox] == [["siti@example.com"]]
    assert report.tracking_code in mail.outbox[0].subject
