"""Writing one checked import row as a report with its case, received when it really was.

``report_submit`` takes the other system's receipt time (deadlines and statistics count from
then); a record already finished there is archived at once by ``case_archive_imported``.
"""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from tanggap.accounts.models import Category, Unit
from tanggap.cases.choices import EventKind
from tanggap.cases.events import case_event_record
from tanggap.cases.workflow import case_archive_imported
from tanggap.intake.models import Report
from tanggap.intake.services import ReportInput, report_submit

SOURCE_NAMES = {"lapor": "SP4N-LAPOR!", "import": "import"}


def report_import(
    *,
    unit: Unit,
    values: dict,
    source: str,
    ref: str,
    by,
    category: Category | None = None,
    batch_id: int | None = None,
) -> tuple[Report, bool]:
    """Record an import row as a report; return it and whether it is new.

    A row whose (source, reference) is already stored returns that report: importing a
    file twice creates nothing twice. A row finished in the other system is archived at
    once, keeping that system's status, so it never runs our deadlines.
    """
    with transaction.atomic():
        return _create(unit, values, source, ref, by, category, batch_id)


def _create(unit, values, source, ref, by, category, batch_id) -> tuple[Report, bool]:
    closed = bool(values.get("closed"))
    submission = report_submit(
        ReportInput(
            unit=unit,
            kind=values["kind"],
            channel=values["channel"],
            title=values["title"],
            description=values["description"],
            category=category,
            location_text=values["location_text"],
            is_anonymous=values["is_anonymous"],
            is_confidential=values["is_confidential"],
            # Exports carry no personal data, so the reporter row stays empty.
            received_by=by,
            external_source=source,
            external_ref=ref,
            received_at=datetime.fromisoformat(values["received_at"]),
            historical=closed,
        )
    )
    report = submission.report
    if not submission.created:
        # Stored by an earlier import of this row (report_submit keys on source and ref).
        return report, False
    external = values.get("external") or {}
    case_event_record(
        case=report.case,
        kind=EventKind.NOTE,
        actor=by,
        is_public=False,
        message=_("Imported from %(source)s, id %(ref)s.")
        % {"source": SOURCE_NAMES.get(source, source), "ref": ref.rsplit(":", 1)[-1]},
        data={"import": batch_id, "source": source, "ref": ref, "external": external},
    )
    if closed:
        # Finished in the other system: archived at once with its status, never on our clock.
        case_archive_imported(
            case=report.case,
            by=by,
            message=_("Finished in %(source)s before the import: “%(status)s”.")
            % {"source": SOURCE_NAMES.get(source, source), "status": external.get("status", "")},
            data={"external": external},
        )
    return report, True
