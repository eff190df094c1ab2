"""Replies of one unit published at the same moment get different letter numbers."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from tanggap.responses.models import Reply
from tanggap.responses.services import reply_draft_save, reply_submit
from tanggap.responses.tests.factories import ReplySettingsFactory, report_in_progress

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="SQLite serialises every writer; row locks between connections are PostgreSQL's",
    ),
]


def race(*actions):
    """Run *actions* in threads released together; return each one's result or error."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(i, action):
        try:
            barrier.wait()
            results[i] = action()
        except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.mark.parametrize("attempt", range(3))
def test_two_publications_at_once_get_consecutive_numbers(spkt, officer, attempt):
    # given two drafts on two cases of one unit
    ReplySettingsFactory(unit=spkt)
    drafts = []
    for n in range(2):
        report = report_in_progress(spkt, officer, title=f"Antrean {n}")
        drafts.append(
            reply_draft_save(
                case=report.case,
                by=officer,
                body="Petugas loket sudah kami tambah mulai hari ini.",
                is_final=True,
            )
        )

    # when both are published at the same moment
    results = race(*(lambda d=d: reply_submit(reply=d, by=officer) for d in drafts))

    # then both succeed with the numbers 1 and 2
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(Reply.objects.values_list("letter_seq", flat=True)) == [1, 2]
