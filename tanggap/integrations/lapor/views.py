"""Staff screens: upload a file, map its columns, read the dry run, confirm; export to LAPOR!."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tanggap.common.exceptions import ApplicationError

from . import exports
from .forms import ExportForm, MappingForm, UploadForm
from .models import ImportStatus
from .rows import describe, summarise
from .selectors import (
    export_cases,
    export_units,
    import_get,
    import_notice_rows,
    import_problem_rows,
    import_units,
    imports_visible_to,
)
from .services import import_confirm, import_map, import_upload

ROWS_PER_PAGE = 50


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request):
    """List the recent imports of the user's units, with the upload form."""
    units = import_units(request.user)
    if not units.exists():
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None, units=units)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = import_upload(
                    user=request.user,
                    unit=form.cleaned_data["unit"],
                    fmt=form.cleaned_data["fmt"],
                    name=upload.name,
                    data=upload.read(),
                )
            except ApplicationError as exc:
                form.add_error("file", exc.message)
            else:
                return redirect("imports:detail", batch.pk)
        status = 400
    imports = imports_visible_to(request.user)[:30]
    return render(
        request,
        "lapor/import_list.html",
        {"form": form, "imports": imports, "can_export": export_units(request.user).exists()},
        status=status,
    )


def _row_page(request, rows, name):
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get(name))
    for row in page.object_list:
        row.messages = [describe(p) for p in (row.errors or row.notices)]
    return page


@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request, pk: int):
    """Show an import in its state: the mapping, the dry run and its rows, or the progress."""
    batch = import_get(request.user, pk)
    form = None
    if batch.status in (ImportStatus.UPLOADED, ImportStatus.CHECKED, ImportStatus.REFUSED):
        form = MappingForm(request.POST or None, batch=batch)
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                import_map(
                    user=request.user,
                    batch=batch,
                    mapping=form.mapping(),
                    default_kind=form.cleaned_data["default_kind"],
                    default_channel=form.cleaned_data["default_channel"],
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("imports:detail", batch.pk)
        status = 400
    context = {"batch": batch, "form": form}
    if batch.status in (ImportStatus.CHECKED, ImportStatus.IMPORTING, ImportStatus.DONE):
        context["problems"] = _row_page(request, import_problem_rows(batch), "errors")
        context["notices"] = _row_page(request, import_notice_rows(batch), "notices")
        context["remarks"] = summarise(batch.notice_counts)
    if batch.status == ImportStatus.REFUSED and batch.problem:
        context["refusal"] = batch.problem.get("message", "")
    return render(request, "lapor/import_detail.html", context, status=status)


@login_required
@require_POST
def import_confirm_view(request, pk: int):
    """Confirm a checked import: its valid rows are imported in the background."""
    batch = import_get(request.user, pk)
    try:
        import_confirm(user=request.user, batch=batch)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Import confirmed: the valid rows are being imported."))
    return redirect("imports:detail", batch.pk)


@login_required
def export_view(request):
    """Download a unit's cases of a period, with their follow-ups, in LAPOR!'s columns."""
    units = export_units(request.user)
    if not units.exists():
        raise Http404
    asked = request.GET.get("unit", "")
    if asked and not (asked.isdigit() and units.filter(pk=asked).exists()):
        raise Http404  # another unit's cases: 404, never a hint that it exists
    form = ExportForm(request.GET or None, units=units)
    if not form.is_bound or not form.is_valid():
        status = 400 if form.is_bound else 200
        return render(request, "lapor/export.html", {"form": form}, status=status)
    data = form.cleaned_data
    cases = export_cases(
        user=request.user,
        unit=data["unit"],
        start=data["start"],
        end=data["end"],
        lapor_only=data["lapor_only"],
    )
    name = f"tanggap-lapor-{data['unit'].slug}-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}"
    if data["file_type"] == "csv":
        response = StreamingHttpResponse(
            exports.csv_lines(cases.iterator(chunk_size=1000)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    response = HttpResponse(
        exports.xlsx_bytes(cases.iterator(chunk_size=1000)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
