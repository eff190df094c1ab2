"""Routes of the webhooks adapter (mounted at integrasi/pesan/)."""

from django.urls import path

from . import views

app_name = "webhooks"
urlpatterns = [
    path("whatsapp/", views.whatsapp, name="whatsapp"),
    path("sms/", views.sms, name="sms"),
]
