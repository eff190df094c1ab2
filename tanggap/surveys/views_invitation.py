"""The invitation link of the e-mail sent after a resolved case: the questionnaire, once."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from tanggap.common.exceptions import ApplicationError

from .forms import QuestionnaireForm
from .invitations import (
    CLOSED,
    EXPIRED,
    UNKNOWN,
    USED,
    VALID_FOR,
    invitation_by_token,
    invitation_problem,
    invitation_respond,
)

REFUSED_STATUS = {UNKNOWN: 404, USED: 410, EXPIRED: 410, CLOSED: 410}


def _refused(request, problem, invitation):
    period = invitation.period if invitation else None
    return render(
        request,
        "surveys/invitation_refused.html",
        {
            "problem": problem,
            "period": period,
            "unit": period.unit if period else None,
            "valid_days": VALID_FOR.days,
        },
        status=REFUSED_STATUS[problem],
    )


def _questionnaire(request, invitation, form=None, *, thanks=False):
    ctx = {
        "form": form,
        "period": invitation.period,
        "unit": invitation.period.unit,
        "counter": None,
        "thanks": thanks,
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "surveys/questionnaire.html", ctx, status=status)


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """Show and accept the phone questionnaire an invitation names; it takes one response."""
    invitation = invitation_by_token(token)
    if invitation is None:
        return _refused(request, UNKNOWN, None)
    chosen = settings.LANGUAGE_COOKIE_NAME in request.COOKIES
    if not chosen and invitation.language in dict(settings.LANGUAGES):
        # No language chosen on this device: speak the language of the e-mail.
        translation.activate(invitation.language)
        request.LANGUAGE_CODE = translation.get_language()
    if invitation.used_at is not None and "terima-kasih" in request.GET:
        return _questionnaire(request, invitation, thanks=True)
    if problem := invitation_problem(invitation):
        return _refused(request, problem, invitation)
    form = QuestionnaireForm(
        request.POST or None, period=invitation.period, fixed_service=invitation.service
    )
    # The link itself is the one-time code: no ticket code is asked for.
    form.fields.pop("ticket_code", None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_respond(
                invitation=invitation,
                answers=form.answers(),
                profile=form.profile(),
                extra_answers=form.extra_answers(),
                service=form.cleaned_data.get("service"),
                client_key=form.cleaned_data["client_key"],
            )
        except ApplicationError as exc:
            if exc.code in REFUSED_STATUS:
                return _refused(request, exc.code, invitation)
            form.add_error(None, exc.message)
        else:
            return redirect(request.path + "?terima-kasih=1")
    return _questionnaire(request, invitation, form)
