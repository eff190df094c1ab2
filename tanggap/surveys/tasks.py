"""Periodic SKM work run by the task worker (enqueued by ``manage.py skm_invitations``)."""

from django.tasks import task

from .invitations import invitations_send


@task
def send_skm_invitations() -> int:
    """Invite the reporters of the cases resolved since the last run; return how many."""
    return invitations_send()
