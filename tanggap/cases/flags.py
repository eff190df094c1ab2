"""Keeping a case's maladministration flags in step with its event log."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .choices import EventKind
from .events import case_event_record
from .maladministration import Fact, detect
from .models import Case, CaseFlag


def case_flags_refresh(*, case: Case, now=None) -> list[CaseFlag]:
    """Raise the flags the log now shows and the case lacks; a flag once raised stays."""
    now = now or timezone.now()
    facts = [
        Fact(kind, at, data) for kind, at, data in case.events.values_list("kind", "at", "data")
    ]
    have = set(case.flags.values_list("kind", "step"))
    raised = []
    for finding in detect(report_kind=case.kind, events=facts, now=now):
        if (finding.kind, finding.step) in have:
            continue
        try:
            with transaction.atomic():
                flag = CaseFlag.objects.create(
                    case=case, kind=finding.kind, step=finding.step, detail=finding.detail[:300]
                )
        except IntegrityError:
            continue  # raised meanwhile by a concurrent sweep
        case_event_record(
            case=case,
            kind=EventKind.FLAGGED,
            is_public=False,
            message=flag.get_kind_display(),
            data={"flag": finding.kind, "step": finding.step, "detail": finding.detail},
        )
        raised.append(flag)
    return raised
