"""Public pages: published actions with their progress, milestones, evidence and counts.

A case is never named here: the page says how many reports led to an action, by kind, and
nothing of any report's reference or text, confidential or not.
"""

from django.shortcuts import render

from tanggap.accounts.scoping import get_scoped_or_404

from .. import selectors
from .common import stream


def action_list(request):
    """List the published actions, newest first."""
    return render(
        request,
        "improvements/public/action_list.html",
        {"actions": selectors.published_actions()},
    )


def action_detail(request, action_id):
    """Show one published action."""
    action = selectors.published_action_get(action_id)
    findings = [
        (finding, selectors.element_name(finding.element))
        for finding in action.findings.select_related("period")
    ]
    return render(
        request,
        "improvements/public/action_detail.html",
        {
            "action": action,
            "counts": selectors.public_counts(action),
            "milestones": action.milestones.all(),
            "evidence": action.evidence.all(),
            "findings": findings,
            "updates": action.updates.all()[:20],
        },
    )


def evidence_file(request, action_id, evidence_id):
    """Stream the evidence of a published action (photos were re-encoded without metadata)."""
    action = selectors.published_action_get(action_id)
    return stream(get_scoped_or_404(action.evidence.all(), pk=evidence_id))
