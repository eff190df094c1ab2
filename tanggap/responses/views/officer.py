"""Staff reply screens: writing, submitting, approving and returning replies; internal notes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import get_scoped_or_404, units_for, user_can
from tanggap.cases.selectors import case_get
from tanggap.cases.workflow import case_note_add
from tanggap.common.exceptions import ApplicationError

from ..choices import EDITABLE_STATUSES, ReplyStatus
from ..forms import NoteForm, ReplyForm, ReturnForm, TemplateChoiceForm
from ..models import ReplyAttachment
from ..selectors import approval_queue as pending_replies
from ..selectors import case_replies, reply_settings_for, templates_for
from ..services import (
    reply_approve,
    reply_draft_save,
    reply_return,
    reply_submit,
    reply_template_render,
)
from . import attachment_response, letter_response

SUBMIT, DRAFT = "submit", "draft"


def _panel_url(case) -> str:
    return reverse("officer:case_detail", args=[case.pk]) + "#replies"


def _reply_of(request, case_id, reply_id):
    case = case_get(user=request.user, case_id=case_id)
    reply = get_scoped_or_404(case_replies(case=case), pk=reply_id)
    return case, reply


def _published(reply) -> str:
    if reply.status == ReplyStatus.PUBLISHED:
        return _("The reply was published; the reporter is told by e-mail.")
    return _("The reply was submitted for approval.")


def _initial_from_template(request, case, templates) -> dict:
    """Return the form's starting text from the template chosen in the query, if any."""
    picker = TemplateChoiceForm(request.GET, templates=templates)
    if "template" not in request.GET or not picker.is_valid():
        return {}
    template = picker.cleaned_data["template"]
    return {"body": reply_template_render(template=template, case=case), "template": template}


def _form_page(request, case, form, *, reply=None, status=200):
    templates = templates_for(case)
    return render(
        request,
        "responses/reply_form.html",
        {
            "case": case,
            "form": form,
            "reply": reply,
            "picker": TemplateChoiceForm(templates=templates) if reply is None else None,
            "has_templates": templates.exists(),
            "needs_approval": reply_settings_for(case.unit).requires_approval,
        },
        status=status,
    )


def _save(request, case, form, reply=None):
    """Save the form's reply as a draft, and submit it if asked, all or nothing."""
    with transaction.atomic():
        saved = reply_draft_save(
            case=case,
            by=request.user,
            body=form.cleaned_data["body"],
            is_final=form.is_final,
            reply=reply,
            template=form.cleaned_data.get("template"),
            files=form.cleaned_data["files"],
        )
        if request.POST.get("action") == SUBMIT:
            saved = reply_submit(reply=saved, by=request.user)
    messages.success(
        request, _published(saved) if saved.status != ReplyStatus.DRAFT else _("Draft saved.")
    )
    return redirect(_panel_url(case))


@login_required
@require_http_methods(["GET", "POST"])
def reply_new(request, case_id):
    """Write a reply from a template or from scratch; save it as a draft or submit it."""
    case = case_get(user=request.user, case_id=case_id)
    if not user_can(request.user, Capability.HANDLE_CASES, case.unit):
        raise Http404
    templates = templates_for(case)
    if request.method == "POST":
        form = ReplyForm(request.POST, request.FILES, prefix="reply", templates=templates)
        if form.is_valid():
            try:
                return _save(request, case, form)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
        return _form_page(request, case, form, status=400)
    try:
        initial = _initial_from_template(request, case, templates)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        initial = {}
    form = ReplyForm(prefix="reply", templates=templates, initial=initial)
    return _form_page(request, case, form)


@login_required
@require_http_methods(["GET", "POST"])
def reply_edit(request, case_id, reply_id):
    """Change the author's draft or returned reply; save it again or submit it."""
    case, reply = _reply_of(request, case_id, reply_id)
    if reply.author_id != request.user.pk or reply.status not in EDITABLE_STATUSES:
        raise Http404
    if request.method == "POST":
        form = ReplyForm(request.POST, request.FILES, prefix="reply")
        if form.is_valid():
            try:
                return _save(request, case, form, reply=reply)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
        return _form_page(request, case, form, reply=reply, status=400)
    initial = {"body": reply.body, "kind": "final" if reply.is_final else "interim"}
    form = ReplyForm(prefix="reply", initial=initial)
    return _form_page(request, case, form, reply=reply)


def _detail(request, case, reply, *, error="", return_form=None, status=200):
    return render(
        request,
        "responses/reply_detail.html",
        {
            "case": case,
            "reply": reply,
            "error": error,
            "return_form": return_form or ReturnForm(prefix=f"return-{reply.pk}"),
            "can_handle": user_can(request.user, Capability.HANDLE_CASES, case.unit),
            "can_supervise": user_can(request.user, Capability.SUPERVISE_CASES, case.unit),
            "needs_approval": reply_settings_for(case.unit).requires_approval,
        },
        status=status,
    )


@login_required
def reply_detail(request, case_id, reply_id):
    """Show one reply with its state, files, letter and the actions open to the user."""
    case, reply = _reply_of(request, case_id, reply_id)
    return _detail(request, case, reply)


@login_required
@require_POST
def reply_submit_view(request, case_id, reply_id):
    """Submit the author's reply: for approval where required, otherwise publish it."""
    case, reply = _reply_of(request, case_id, reply_id)
    try:
        reply = reply_submit(reply=reply, by=request.user)
    except ApplicationError as exc:
        return _detail(request, case, reply, error=exc.message, status=400)
    messages.success(request, _published(reply))
    return redirect(_panel_url(case))


@login_required
@require_POST
def reply_approve_view(request, case_id, reply_id):
    """Approve another officer's reply and publish it."""
    case, reply = _reply_of(request, case_id, reply_id)
    try:
        reply_approve(reply=reply, by=request.user)
    except ApplicationError as exc:
        return _detail(request, case, reply, error=exc.message, status=400)
    messages.success(request, _("The reply was approved and published."))
    return redirect(_panel_url(case))


@login_required
@require_POST
def reply_return_view(request, case_id, reply_id):
    """Return a reply to its author with what to change."""
    case, reply = _reply_of(request, case_id, reply_id)
    form = ReturnForm(request.POST, prefix=f"return-{reply.pk}")
    if form.is_valid():
        try:
            reply_return(reply=reply, by=request.user, note=form.cleaned_data["note"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The reply was returned to its author."))
            return redirect(_panel_url(case))
    return _detail(request, case, reply, return_form=form, status=400)


@login_required
def reply_letter(request, case_id, reply_id):
    """Download the letter of a published final reply."""
    case, reply = _reply_of(request, case_id, reply_id)
    if not (reply.status == ReplyStatus.PUBLISHED and reply.is_final):
        raise Http404
    return letter_response(reply, recipient_code=case.reference)


@login_required
def reply_attachment(request, case_id, reply_id, attachment_id):
    """Stream a file of a reply of a visible case."""
    _case, reply = _reply_of(request, case_id, reply_id)
    attachment = get_scoped_or_404(ReplyAttachment.objects.filter(reply=reply), pk=attachment_id)
    return attachment_response(attachment)


@login_required
@require_POST
def note_add(request, case_id):
    """Add an internal note to the case; the reporter never sees it."""
    case = case_get(user=request.user, case_id=case_id)
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            case_note_add(case=case, by=request.user, text=form.cleaned_data["text"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Note added."))
            return redirect(reverse("officer:case_detail", args=[case.pk]) + "#notes")
    return render(request, "responses/note_form.html", {"case": case, "form": form}, status=400)


@login_required
def approval_queue(request):
    """List the replies waiting for approval in the units the user supervises."""
    if not units_for(request.user, Capability.SUPERVISE_CASES).exists():
        raise Http404
    replies = list(pending_replies(user=request.user)[:200])
    return render(request, "responses/approval_queue.html", {"replies": replies})
