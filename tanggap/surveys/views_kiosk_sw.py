"""The counter kiosk's service worker, served from under the kiosk pages it may control."""

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

WORKER = "js/kiosk-sw.js"


@require_safe
@never_cache
def kiosk_service_worker(request):
    """Return kiosk-sw.js from /skm/kiosk/, the only place it can control the kiosk pages from.

    A service worker controls only pages under its own path: from /static/js/ it would control
    nothing. never_cache, so that a changed worker reaches every kiosk at its next update check.
    """
    path = finders.find(WORKER)
    if path is None:
        raise Http404(WORKER)
    with open(path, "rb") as worker:
        content = worker.read()
    return HttpResponse(content, content_type="application/javascript; charset=utf-8")
