"""Public pages of the transparency portal: landing, list, detail, map, following a case.

Every read goes through ``selectors.published()``: no confidential case reaches these pages.
"""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_http_methods

from tanggap.common.addresses import client_address
from tanggap.common.exceptions import ApplicationError

from ..forms import FilterForm, FollowForm
from ..selectors import (
    filter_choices,
    located,
    public_timeline,
    publication_detail,
    publication_list,
    published,
)
from ..services import follower_confirm, follower_subscribe, follower_unsubscribe

PER_PAGE = 20
MAP_LIMIT = 500
DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = "© OpenStreetMap"


@require_GET
def landing(request):
    """Introduce the portal with figures and the latest published cases."""
    visible = published()
    context = {
        "latest": publication_list()[:5],
        "total": visible.count(),
        "resolved": visible.filter(case__closed_at__isnull=False).count(),
    }
    return render(request, "portal/landing.html", context)


def _filtered(request):
    choices = filter_choices()
    form = FilterForm(request.GET or None, **choices)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = publication_list(
        unit=filters.get("unit"),
        category=filters.get("category"),
        status=filters.get("status") or "",
        query=filters.get("q") or "",
    )
    return form, qs


@require_GET
def publication_index(request):
    """List published cases with filters, search and pages."""
    form, qs = _filtered(request)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "portal/list.html", context)


@require_http_methods(["GET", "POST"])
def detail(request, reference: str):
    """Show one published case with its public timeline and the follow form."""
    publication = publication_detail(reference=reference)
    if publication is None:
        raise Http404
    form = FollowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            follower_subscribe(
                publication=publication,
                email=form.cleaned_data["email"],
                language=get_language() or "id",
                client=client_address(request),
            )
        except ApplicationError as exc:
            form.add_error("email", exc.message)
        else:
            messages.success(request, _("Check your e-mail: follow the link we sent to confirm."))
            return redirect("portal:detail", reference=reference)
    context = {
        "publication": publication,
        "case": publication.case,
        "timeline": public_timeline(publication),
        "form": form,
    }
    return render(request, "portal/detail.html", context, status=400 if form.errors else 200)


def _tiles() -> str:
    return getattr(settings, "PORTAL_MAP_TILES", DEFAULT_TILES)


def _map_csp(tiles: str) -> dict:
    """Return the page's policy: the site's own, with the tile server's origin for images."""
    config = {key: list(value) for key, value in getattr(settings, "SECURE_CSP", {}).items()}
    if tiles.startswith(("https://", "http://")):
        origin = "/".join(tiles.split("/")[:3]).replace("{s}.", "*.")
        config["img-src"] = [*config.get("img-src", ["'self'"]), origin]
    return config


@require_GET
def map_view(request):
    """Show located published cases on a map, with a plain list that works without it."""
    form, qs = _filtered(request)
    points = located(qs)[:MAP_LIMIT]
    tiles = _tiles()
    context = {
        "form": form,
        "points": points,
        "tiles": tiles,
        "attribution": getattr(settings, "PORTAL_MAP_ATTRIBUTION", DEFAULT_ATTRIBUTION),
        "geojson_url": f"{reverse('portal:map_data')}?{request.GET.urlencode()}",
    }
    response = render(request, "portal/map.html", context)
    return csp_override(_map_csp(tiles))(lambda _request: response)(request)


@require_GET
def map_data(request):
    """Return the located published cases as GeoJSON (masked titles, rounded points)."""
    _form, qs = _filtered(request)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(p.longitude), float(p.latitude)]},
            "properties": {
                "reference": p.case.reference,
                "title": p.title,
                "status": p.case.get_status_display(),
                "url": reverse("portal:detail", args=[p.case.reference]),
            },
        }
        for p in located(qs)[:MAP_LIMIT]
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


@require_http_methods(["GET", "POST"])
def follow_confirm(request, token: str):
    """Confirm following a case; a GET only shows the button, so link scanners confirm nothing."""
    return _token_page(request, token, follower_confirm, _("Confirm following this case"))


@require_http_methods(["GET", "POST"])
def unfollow(request, token: str):
    """Stop following a case."""
    return _token_page(request, token, follower_unsubscribe, _("Stop following this case"))


def _token_page(request, token, service, heading):
    done, error = False, ""
    if request.method == "POST":
        try:
            service(token=token)
            done = True
        except ApplicationError as exc:
            error = exc.message
    context = {"heading": heading, "done": done, "error": error}
    return render(request, "portal/follow.html", context, status=400 if error else 200)
