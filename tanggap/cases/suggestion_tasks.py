"""Training of the category and unit suggestions (run by the task worker)."""

from django.tasks import task

from tanggap.accounts.models import Organisation

from .suggestions import suggestions_train


@task
def train_suggestions(organisation_id: int) -> dict:
    """Train one organisation's suggestion models; return each target's status.

    Safe to run twice: each run replaces the organisation's models with ones fitted on the
    cases handled so far. A deleted organisation is skipped.
    """
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return {}
    rows = suggestions_train(organisation=organisation)
    return {row.target: row.status for row in rows}
