"""The officer's publishing screen: masked preview, more masking, publish, withdraw."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tanggap.common.exceptions import ApplicationError

from ..forms import PublicationForm, WithdrawForm
from ..preview import FIELDS, extra_strings, masked, segments, source_texts
from ..selectors import publishable_case, staff_publication
from ..services import (
    PublicationInput,
    case_is_confidential,
    publication_publish,
    publication_withdraw,
    remaining_identifiers,
)


def _initial(case, publication) -> dict:
    if publication is not None:
        return {"title": publication.title, "text": publication.text, "reply": publication.reply}
    return masked(source_texts(case), [])


def _render(request, case, form, *, status=200, remaining=None, withdraw_form=None):
    sources = source_texts(case)
    context = {
        "case": case,
        "form": form,
        "publication": staff_publication(case),
        "confidential": case_is_confidential(case),
        "sources": [(name, segments(sources[name])) for name in FIELDS if sources[name]],
        "remaining": remaining or [],
        "withdraw_form": withdraw_form or WithdrawForm(),
    }
    return render(request, "portal/staff/publish.html", context, status=status)


@login_required
def publish(request, case_id: int):
    """Show the masked preview; mask more, or publish what the officer approved."""
    case = publishable_case(user=request.user, case_id=case_id)
    if request.method != "POST":
        form = PublicationForm(initial=_initial(case, staff_publication(case)))
        return _render(request, case, form)
    form = PublicationForm(request.POST)
    if not form.is_valid():
        return _render(request, case, form, status=400)
    data = form.cleaned_data
    if request.POST.get("action") == "mask":
        again = masked({n: data[n] for n in FIELDS}, extra_strings(data["extra"]))
        form = PublicationForm(initial={**again, "extra": data["extra"]})
        return _render(request, case, form)
    draft = PublicationInput(
        title=data["title"], text=data["text"], reply=data["reply"], confirmed=data["confirm"]
    )
    try:
        publication_publish(case=case, by=request.user, data=draft)
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        remaining = remaining_identifiers(draft) if exc.code == "identifiers_remain" else None
        return _render(request, case, form, status=400, remaining=remaining)
    messages.success(request, _("The case is published on the transparency portal."))
    return redirect("publishing:publish", case_id=case.pk)


@login_required
@require_POST
def withdraw(request, case_id: int):
    """Take the case off the portal."""
    case = publishable_case(user=request.user, case_id=case_id)
    publication = staff_publication(case)
    form = WithdrawForm(request.POST)
    if publication is None:
        return redirect("publishing:publish", case_id=case.pk)
    if form.is_valid():
        try:
            publication_withdraw(
                publication=publication, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The case is withdrawn from the portal."))
            return redirect("publishing:publish", case_id=case.pk)
    initial = PublicationForm(initial=_initial(case, publication))
    return _render(request, case, initial, status=400, withdraw_form=form)
