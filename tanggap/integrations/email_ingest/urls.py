"""Routes of the email_ingest adapter (mounted at integrasi/email/)."""

from django.urls import path

from . import views

app_name = "email_ingest"
urlpatterns = [
    path("<slug:key>/", views.inbound, name="inbound"),
]
