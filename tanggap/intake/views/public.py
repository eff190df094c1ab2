"""Public pages: the report form, its receipt (screen and PDF) and QR codes."""

from datetime import timedelta

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tanggap.accounts.models import Counter, Service, Unit
from tanggap.accounts.selectors import units_accepting_reports
from tanggap.cases.choices import Channel
from tanggap.common.addresses import client_address
from tanggap.common.exceptions import ApplicationError
from tanggap.common.throttle import throttle_count, throttle_locked_until

from ..forms import ReportForm
from ..receipts import receipt_context, receipt_pdf
from ..services import ReportInput, report_submit
from .grants import (
    grant_report,
    granted_report_or_none,
    pop_receipt_secrets,
    receipt_pdf_secrets,
    remember_receipt,
)


def form_to_input(form, **extra) -> ReportInput:
    """Turn a valid report form into the channel-neutral ReportInput."""
    d = form.cleaned_data
    return ReportInput(
        unit=d["unit"],
        kind=d["kind"],
        title=d["title"].strip(),
        description=d["description"].strip(),
        service=d.get("service"),
        category=d.get("category"),
        occurred_at=d.get("occurred_at"),
        location_text=d.get("location_text", "").strip(),
        latitude=d.get("latitude"),
        longitude=d.get("longitude"),
        is_anonymous=d["identity"] == "anonymous",
        is_confidential=d.get("is_confidential", False),
        name=d.get("name", ""),
        email=d.get("email", ""),
        phone=d.get("phone", ""),
        files=d.get("files") or [],
        submission_key=d.get("submission_key"),
        **extra,
    )


def _over_limit(request):
    """Return until when this address may not send reports, or None."""
    return throttle_locked_until(key=f"report:addr:{client_address(request)}")


def _over_limit_message(until) -> str:
    when = formats.time_format(timezone.localtime(until), "H:i")
    return _(
        "Many reports were sent from this connection in the last hour. To protect the service "
        "from abuse, new reports from it are accepted again at %(time)s. Your text is kept "
        "below. In an emergency, call 110 (police) or 112."
    ) % {"time": when}


def submit_to_receipt(request, form, **extra):
    """Submit a valid report form and lead to its receipt; on a refusal, put it on the form."""
    if "received_by" not in extra:
        # The citizen's own language: their receipt and every update are written in it.
        extra["language"] = translation.get_language() or settings.LANGUAGE_CODE
    try:
        submission = report_submit(form_to_input(form, **extra))
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return None
    if submission.created:
        remember_receipt(request, submission)
    grant_report(request, submission.report)
    return redirect("intake:receipt", code=submission.report.tracking_code)


@require_http_methods(["GET", "POST"])
def report_create(request, unit_slug=None, service_id=None, counter_code=None):
    """Show and accept the public report form; QR links fix the unit, service or counter."""
    fixed_unit, initial, counter = None, {}, None
    if unit_slug:
        fixed_unit = get_object_or_404(Unit, slug=unit_slug, accepts_reports=True)
    elif service_id:
        service = get_object_or_404(
            Service, pk=service_id, is_active=True, unit__accepts_reports=True
        )
        fixed_unit, initial = service.unit, {"service": service.pk}
    elif counter_code:
        counter = get_object_or_404(
            Counter, code=counter_code, is_active=True, unit__accepts_reports=True
        )
        fixed_unit = counter.unit
    units = units_accepting_reports()
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        fixed_unit=fixed_unit,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        if until := _over_limit(request):
            # The citizen's text stays in the form: nothing they wrote is lost.
            form.add_error(None, ValidationError(_over_limit_message(until), code="rate_limited"))
        elif response := submit_to_receipt(request, form, channel=Channel.WEB, counter=counter):
            throttle_count(
                key=f"report:addr:{client_address(request)}",
                limit=settings.REPORTS_PER_ADDRESS_PER_HOUR,
                window=timedelta(hours=1),
            )
            return response
    return render(
        request,
        "intake/report_form.html",
        {
            "form": form,
            "fixed_unit": fixed_unit,
            "counter": counter,
            "map_center": _map_center(fixed_unit, units),
        },
        status=_status(form),
    )


def _status(form) -> int:
    if any(e.code == "rate_limited" for e in form.non_field_errors().as_data()):
        return 429
    return 400 if form.errors else 200


def _map_center(fixed_unit, units) -> tuple:
    """Return where the location grid centres: the unit's point, else the first known one."""
    if fixed_unit and fixed_unit.latitude is not None:
        return fixed_unit.latitude, fixed_unit.longitude
    located = units.filter(latitude__isnull=False).values_list("latitude", "longitude").first()
    return located or (-6.2, 106.816667)


def receipt(request, code):
    """Show the receipt (tanda terima); the PIN and secret link appear only this once."""
    report = granted_report_or_none(request, code)
    if report is None:
        raise Http404
    secrets_once = pop_receipt_secrets(request, report)
    link = None
    if secrets_once:
        link = request.build_absolute_uri(
            reverse("intake:track_link", args=[secrets_once["token"]])
        )
    ctx = receipt_context(report) | {"pin": (secrets_once or {}).get("pin"), "secret_link": link}
    return render(request, "intake/receipt.html", ctx)


def receipt_download(request, code):
    """Return the receipt as a PDF (with the PIN while the receipt page's session holds it)."""
    report = granted_report_or_none(request, code)
    if report is None:
        raise Http404
    once = receipt_pdf_secrets(request, report)
    link = None
    if once.get("token"):
        link = request.build_absolute_uri(reverse("intake:track_link", args=[once["token"]]))
    pdf = receipt_pdf(report, pin=once.get("pin"), secret_link=link)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="tanda-terima-{report.tracking_code}.pdf"'
    )
    return response


def qr_code(request, target, key):
    """Return a printable SVG QR code for a unit's, service's or counter's report link."""
    routes = {
        "unit": ("intake:report_unit", Unit, "slug"),
        "service": ("intake:report_service", Service, "pk"),
        "counter": ("intake:report_counter", Counter, "code"),
        # The satisfaction survey's links, printed at counters beside the report links.
        "skm-counter": ("surveys:counter", Counter, "code"),
        "skm-service": ("surveys:service", Service, "pk"),
        "skm-unit": ("surveys:unit", Unit, "slug"),
    }
    if target not in routes:
        raise Http404
    route, model, field = routes[target]
    obj = get_object_or_404(model, **{field: key})
    url = settings.SITE_URL.rstrip("/") + reverse(route, args=[getattr(obj, field)])
    svg = segno.make(url, error="m").svg_inline(scale=8, title=str(obj))
    return HttpResponse(svg, content_type="image/svg+xml")
