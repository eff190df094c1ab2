"""Routes of the import and export screens, under /petugas/impor/."""

from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/konfirmasi/", views.import_confirm_view, name="confirm"),
    path("ekspor/", views.export_view, name="export"),
]
