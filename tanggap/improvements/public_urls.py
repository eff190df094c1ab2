"""Public routes: published improvement actions (Anda bersuara, kami bertindak)."""

from django.urls import path

from .views import public

app_name = "actions"

urlpatterns = [
    path("", public.action_list, name="list"),
    path("<int:action_id>/", public.action_detail, name="detail"),
    path("<int:action_id>/bukti/<int:evidence_id>/", public.evidence_file, name="evidence"),
]
