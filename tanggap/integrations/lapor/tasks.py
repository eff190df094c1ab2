"""Background work of imports: the dry run and the import itself, one batch per task run."""

from django.db import transaction
from django.tasks import task

from .services import import_check, import_run_batch


@task
def import_check_task(batch_id: int) -> None:
    """Check every row of a mapped import (the dry run); safe to run twice."""
    import_check(batch_id=batch_id)


@task
def import_run_task(batch_id: int) -> int:
    """Import one batch of a confirmed import, then queue the next while rows remain."""
    remaining = import_run_batch(batch_id=batch_id)
    if remaining:
        # A new task per batch lets other work (e-mails, the sweep) run between batches.
        transaction.on_commit(lambda: import_run_task.enqueue(batch_id))
    return remaining
