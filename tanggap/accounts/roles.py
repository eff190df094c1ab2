"""Roles and the capability table: which role may do what on a unit and its sub-units."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer (petugas)")
    SUPERVISOR = "supervisor", _("Supervisor (kepala/koordinator)")
    UNIT_ADMIN = "unit_admin", _("Unit administrator")
    AUDITOR = "auditor", _("Auditor (read-only oversight)")
    SURVEYOR = "surveyor", _("Surveyor")


class Capability(models.TextChoices):
    VIEW_CASES = "view_cases", _("See the unit's reports and cases")
    HANDLE_CASES = "handle_cases", _("Handle cases")
    ENTER_REPORTS = "enter_reports", _("Enter reports for walk-in and phone callers")
    VIEW_IDENTITY = "view_identity", _("Open a reporter's identity, with a reason")
    SUPERVISE_CASES = (
        "supervise_cases",
        _("Approve replies, archive cases and watch the team's deadlines"),
    )
    AUDIT = "audit", _("See maladministration flags and export the audit log")
    CONFIGURE_UNIT = "configure_unit", _("Configure the unit")
    RUN_SURVEYS = "run_surveys", _("Run satisfaction surveys")
    VIEW_SURVEYS = "view_surveys", _("See satisfaction survey results")


CAPABILITIES: dict[str, frozenset[str]] = {
    Role.OFFICER: frozenset(
        {
            Capability.VIEW_CASES,
            Capability.HANDLE_CASES,
            Capability.ENTER_REPORTS,
            Capability.VIEW_IDENTITY,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Capability.VIEW_CASES,
            Capability.HANDLE_CASES,
            Capability.ENTER_REPORTS,
            Capability.VIEW_IDENTITY,
            Capability.SUPERVISE_CASES,
            Capability.AUDIT,
            # Unit heads answer for the IKM.
            Capability.VIEW_SURVEYS,
        }
    ),
    # Administrators configure; they do not need reporters' identities.
    Role.UNIT_ADMIN: frozenset(
        {
            Capability.VIEW_CASES,
            Capability.CONFIGURE_UNIT,
            Capability.RUN_SURVEYS,
            Capability.VIEW_SURVEYS,
        }
    ),
    # Oversight reads the record of handling, never the reporter's identity.
    Role.AUDITOR: frozenset({Capability.VIEW_CASES, Capability.AUDIT, Capability.VIEW_SURVEYS}),
    Role.SURVEYOR: frozenset({Capability.RUN_SURVEYS, Capability.VIEW_SURVEYS}),
}


def roles_with(capability: str) -> list[str]:
    """Return the roles that grant *capability*."""
    return [role for role, caps in CAPABILITIES.items() if capability in caps]
