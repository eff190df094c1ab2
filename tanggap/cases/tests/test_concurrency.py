"""Two officers acting on one case at the same moment: one wins, the other is told."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from tanggap.cases import workflow
from tanggap.cases.choices import CaseStatus, Channel, EventKind, RejectReason, ReportKind
from tanggap.cases.models import Case, CaseEvent
from tanggap.cases.services import case_open
from tanggap.common.exceptions import ApplicationError

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
        except ApplicationError as exc:
            results[i] = exc
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[i] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def new_case(unit):
    return case_open(
        unit=unit,
        reference="TGP-RACE-0001",
        kind=ReportKind.COMPLAINT,
        channel=Channel.WEB,
        title="Antrean",
    )


@pytest.mark.parametrize("attempt", range(3))
def test_the_same_form_sent_twice_at_once_acts_once(spkt, officer, supervisor, attempt):
    case = new_case(spkt)
    shown = case.version

    results = race(
        lambda: workflow.case_verify(case=case, by=officer, version=shown),
        lambda: workflow.case_verify(case=case, by=supervisor, version=shown),
    )

    errors = [r for r in results if isinstance(r, ApplicationError)]
    assert len(errors) == 1 and errors[0].code == "conflict"
    assert CaseEvent.objects.filter(case=case, kind=EventKind.VERIFIED).count() == 1
    assert Case.objects.get(pk=case.pk).version == shown + 1


def test_two_different_actions_at_once_the_loser_is_refused(spkt, officer, supervisor):
    # Both officers saw the case at the same version (their forms carry it): whichever acts
    # second would act on a case that is no longer what they saw.
    case = new_case(spkt)
    shown = case.version

    results = race(
        lambda: workflow.case_verify(case=case, by=officer, version=shown),
        lambda: workflow.case_reject(
            case=case,
            by=supervisor,
            reason=RejectReason.SPAM,
            note="Pesan berulang tanpa isi.",
            version=shown,
        ),
    )

    errors = [r for r in results if isinstance(r, ApplicationError)]
    won = [r for r in results if isinstance(r, Case)]
    assert len(errors) == 1 and len(won) == 1, results
    assert errors[0].code == "conflict"
    final = Case.objects.get(pk=case.pk)
    assert final.status == won[0].status
    assert final.status in (CaseStatus.VERIFIED, CaseStatus.REJECTED)
    transitions = CaseEvent.objects.filter(
        case=case, kind__in=[EventKind.VERIFIED, EventKind.REJECTED]
    )
    assert transitions.count() == 1
