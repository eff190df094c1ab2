"""The counter kiosk's service worker, served from under the kiosk pages it may control."""

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

WORKER = "js/kiosk-sw.js"


def worker_source() -> bytes:
    """Return the text of kiosk-sw.js where the static files finders find it."""
    path = finders.find(WORKER)
    if path is None:
        raise Http404(WORKER)
    with open(path, "rb") as worker:
        return worker.read()


@require_safe
@never_cache
def kiosk_service_worker(request):
    """Return kiosk-sw.js from /skm/kiosk/, the only place it can control the kiosk pages from.

    A service worker controls only pages under its own path: from /static/js/ it would control
    nothing. never_cache, so that a changed worker reaches every kiosk at its next update check.
    """
    return HttpResponse(worker_source(), content_type="application/javascript; charset=utf-8")
