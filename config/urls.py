"""Top-level routes: public pages, officer screens, admin, health."""

from django.contrib import admin
from django.db import connection
from django.http import JsonResponse
from django.urls import include, path
from django.views.generic import RedirectView

from config.api import api
from tanggap.intake.urls import officer_patterns
from tanggap.surveys.urls import staff_patterns as survey_staff_patterns


def healthz(request):
    """Answer 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="intake:report", permanent=False), name="home"),
    path("", include("tanggap.intake.urls")),
    path("", include("tanggap.surveys.urls")),
    path("", include("tanggap.responses.urls")),
    path("petugas/", include(officer_patterns)),
    path("petugas/skm/", include(survey_staff_patterns)),
    path("petugas/perbaikan/", include("tanggap.improvements.urls")),
    path("petugas/dasbor/", include("tanggap.analytics.urls")),
    path("petugas/publikasi/", include("tanggap.portal.staff_urls")),
    path("transparansi/statistik/", include("tanggap.analytics.public_urls")),
    path("transparansi/perbaikan/", include("tanggap.improvements.public_urls")),
    path("transparansi/", include("tanggap.portal.urls")),
    path("", include("tanggap.integrations.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
]
