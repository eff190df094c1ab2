"""Routes of every channel adapter, each kept in its own package."""

from django.urls import include, path

urlpatterns = [
    path("open311/v2/", include("tanggap.integrations.open311.urls")),
    path("integrasi/email/", include("tanggap.integrations.email_ingest.urls")),
    path("integrasi/pesan/", include("tanggap.integrations.webhooks.urls")),
    path("petugas/impor/", include("tanggap.integrations.lapor.urls")),
]
