"""A case's notification log: what was sent and how it went, never to whom."""

import pytest
from django.db import transaction

from tanggap.cases.workflow import case_assign
from tanggap.intake.tests.factories import submit_report
from tanggap.notifications.models import NotificationStatus
from tanggap.notifications.selectors import notifications_for_case
from tanggap.notifications.services import notification_deliver

pytestmark = pytest.mark.django_db


def test_the_log_lists_the_cases_messages_without_recipients(
    spkt, supervisor, django_assert_num_queries
):
    # given a case with two reporters' updates, one of them delivered
    first = submit_report(spkt, email="siti@example.com").report
    with transaction.atomic():
        case_assign(case=first.case, by=supervisor)
    update = first.case.notifications.exclude(key__startswith="receipt:").get()
    notification_deliver(notification_id=update.pk)
    submit_report(spkt, email="lain@example.com")  # another case's receipt

    # when the log is read
    with django_assert_num_queries(1):
        log = notifications_for_case(first.case)

    # then it holds the case's receipt and update, and nothing that names the recipient
    assert sorted((e.status, e.attempts) for e in log) == [
        (NotificationStatus.PENDING, 0),
        (NotificationStatus.SENT, 1),
    ]
    entry = next(e for e in log if e.status == NotificationStatus.SENT)
    assert first.tracking_code in entry.subject and entry.sent_at is not None
    assert entry.status_label and entry.channel_label
    assert "siti@example.com" not in repr(entry)
    assert not hasattr(entry, "recipient_enc") and not hasattr(entry, "last_error")
