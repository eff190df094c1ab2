"""Keeping a case's maladministration flags in step with its event log."""

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import maladministration as m
from .choices import EventKind
from .events import case_event_record
from .maladministration import Fact, Finding, detect
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
                    case=case,
                    kind=finding.kind,
                    step=finding.step,
                    detail=flag_detail(finding, case)[:300],
                )
        except IntegrityError:
            continue  # raised meanwhile by a concurrent sweep
        case_event_record(
            case=case,
            kind=EventKind.FLAGGED,
            is_public=False,
            message=flag.get_kind_display(),
            data={"flag": finding.kind, "step": finding.step, "reason": finding.reason},
        )
        raised.append(flag)
    return raised


def flag_detail(finding: Finding, case: Case) -> str:
    """Say in words why a flag was raised, with times in the unit's zone."""

    def when(moment):
        return formats.date_format(timezone.localtime(moment, case.unit.tz), "j M Y H:i T")

    texts = {
        m.LATE_STEP: lambda: (
            _("Due %(due)s, done %(met)s.") % {"due": when(finding.due), "met": when(finding.met)}
        ),
        m.STILL_OPEN: lambda: _("Due %(due)s and still not done.") % {"due": when(finding.due)},
        m.NO_REPLY: lambda: _("Closed without a substantive reply to the reporter."),
        m.NOT_FORWARDED: lambda: _("Rejected as not within authority without forwarding."),
        m.UNVERIFIED_REPLY: lambda: _("A complaint answered before verification or disposition."),
    }
    return texts[finding.reason]()
