"""Background work: telling linked reporters of a change, and closing an incident's cases."""

import logging

from django.tasks import task
from django.utils.translation import gettext as _

from tanggap.common.exceptions import ApplicationError

from . import services
from .models import ActionUpdate, IncidentCase, IncidentUpdate

logger = logging.getLogger(__name__)


@task
def action_update_fan_out(update_id: int) -> int:
    """Tell every linked reporter of an action's change; a second run tells nobody again."""
    update = ActionUpdate.objects.select_related("action").filter(pk=update_id).first()
    return services.action_update_tell(update=update) if update else 0


@task
def incident_update_fan_out(update_id: int) -> int:
    """Tell every linked reporter of an incident's update; a second run tells nobody again."""
    update = IncidentUpdate.objects.select_related("incident").filter(pk=update_id).first()
    return services.incident_update_tell(update=update) if update else 0


@task
def close_incident_case(link_id: int, update_id: int) -> str:
    """Close one case of a closed incident; a refusal is recorded on the link, not raised."""
    link = IncidentCase.objects.filter(pk=link_id).first()
    update = IncidentUpdate.objects.select_related("incident", "by").filter(pk=update_id).first()
    if link is None or update is None:
        return ""
    try:
        return services.incident_case_close(link=link, update=update)
    except ApplicationError as exc:
        reason = str(exc.message)
    except Exception:  # noqa: BLE001 - one broken case must not stop the others
        logger.exception("closing case link %s of an incident failed", link_id)
        reason = _("An unexpected error; see the server log.")
    services.incident_case_close_failed(link=link, reason=reason)
    return "failed"
