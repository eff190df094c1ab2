"""Public SKM pages: the questionnaire on a citizen's phone, the counter kiosk and its queue."""

import json
import uuid
from datetime import timedelta

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tanggap.accounts.models import Counter, Service, Unit
from tanggap.common.addresses import client_address
from tanggap.common.exceptions import ApplicationError

from .choices import ResponseChannel
from .forms import KioskBodyForm, QuestionnaireForm
from .index import InvalidAnswer, validate_answers
from .selectors import open_period_for, unit_public_results
from .services import ResponseInput, response_record

MAX_BODY = 20_000
# Answers queued on a kiosk are dated by the kiosk for up to a week of outage.
QUEUE_TRUST = timedelta(days=7)


def _target(unit_slug=None, service_id=None, counter_code=None):
    """Return (unit, fixed service, counter) named by the link."""
    if counter_code:
        counter = get_object_or_404(Counter, code=counter_code, is_active=True)
        return counter.unit, None, counter
    if service_id:
        service = get_object_or_404(Service, pk=service_id, is_active=True)
        return service.unit, service, None
    return get_object_or_404(Unit, slug=unit_slug), None, None


def _record_form(request, form, *, channel, counter, fixed_service):
    data = form.cleaned_data
    service = fixed_service or form.period.service or data.get("service")
    return response_record(
        ResponseInput(
            period=form.period,
            channel=channel,
            answers=form.answers(),
            extra_answers=form.extra_answers(),
            service=service,
            counter=counter,
            client_key=data["client_key"],
            source=f"{client_address(request)}|{counter.pk if counter else ''}",
            **form.profile(),
        )
    )


@require_http_methods(["GET", "POST"])
def questionnaire(request, unit_slug=None, service_id=None, counter_code=None, kiosk=False):
    """Show and accept the SKM questionnaire (the kiosk page is the same form, enhanced)."""
    unit, fixed_service, counter = _target(unit_slug, service_id, counter_code)
    period = open_period_for(unit=unit, service=fixed_service)
    template = "surveys/kiosk.html" if kiosk else "surveys/questionnaire.html"
    if period is None:
        return render(request, "surveys/no_period.html", {"unit": unit}, status=404)
    form = QuestionnaireForm(request.POST or None, period=period, fixed_service=fixed_service)
    if request.method == "POST" and form.is_valid():
        channel = ResponseChannel.KIOSK if kiosk else ResponseChannel.ONLINE
        try:
            _record_form(
                request, form, channel=channel, counter=counter, fixed_service=fixed_service
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(request.path + "?terima-kasih=1")
    ctx = {
        "form": form,
        "period": period,
        "unit": unit,
        "counter": counter,
        "thanks": "terima-kasih" in request.GET,
    }
    return render(request, template, ctx, status=400 if form.errors else 200)


def kiosk(request, counter_code):
    """The counter kiosk: one question per screen, large print, works through outages."""
    return questionnaire(request, counter_code=counter_code, kiosk=True)


def _answered_on(queued_at, unit):
    """Return the local day a kiosk queued its answers, trusted back to a week ago."""
    now = timezone.now()
    if queued_at is None or timezone.is_naive(queued_at):
        return timezone.localdate()
    if not now - QUEUE_TRUST <= queued_at <= now + timedelta(minutes=5):
        return timezone.localdate()
    return timezone.localtime(queued_at, unit.tz).date()


@require_POST
def kiosk_submit(request, counter_code):
    """Accept one queued kiosk response as JSON; a resend of the same key is stored once."""
    counter = get_object_or_404(Counter, code=counter_code, is_active=True)
    if len(request.body) > MAX_BODY:
        return JsonResponse({"error": _("The response is too large.")}, status=413)
    try:
        body = json.loads(request.body)
        key = uuid.UUID(str(body["client_key"]))
        answers = validate_answers(body.get("answers") or {})
        extra_answers = body.get("extra_answers") or {}
        if not isinstance(extra_answers, dict):
            raise ValueError("extra_answers must be an object")
        day = _answered_on(parse_datetime(str(body.get("queued_at") or "")), counter.unit)
    except (ValueError, KeyError, TypeError, InvalidAnswer) as exc:
        return _refused(_("The response is not valid: %(e)s") % {"e": exc}, 400)
    period = open_period_for(unit=counter.unit, day=day)
    if period is None:
        return _refused(_("This survey period is closed."), 409)
    form = KioskBodyForm(body, period=period)
    if not form.is_valid():
        return _refused(_("The response is not valid: %(e)s") % {"e": form.errors.as_text()}, 400)
    try:
        response, created = response_record(
            ResponseInput(
                period=period,
                channel=ResponseChannel.KIOSK,
                answers=answers,
                extra_answers=extra_answers,
                service=form.cleaned_data.get("service"),
                counter=counter,
                client_key=key,
                source=f"{client_address(request)}|{counter.pk}",
                answered_on=day,
                **form.profile(),
            )
        )
    except ApplicationError as exc:
        status = 409 if exc.code in ("closed", "code_used") else 400
        return _refused(exc.message, status, code=exc.code)
    return JsonResponse({"id": response.pk, "created": created}, status=201 if created else 200)


def _refused(message, status, **extra):
    return JsonResponse({"error": str(message), **extra}, status=status)


def public_results(request, unit_slug):
    """The unit's published SKM results: IKM, grade, elements, trend and follow-up status."""
    unit = get_object_or_404(Unit, slug=unit_slug)
    results = unit_public_results(unit)
    return render(
        request,
        "surveys/results.html",
        {"unit": unit, "results": results},
        status=200 if results else 404,
    )
