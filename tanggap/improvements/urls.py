"""Staff routes of improvement actions and incidents (mounted at petugas/perbaikan/)."""

from django.urls import path

from .views import actions, case_links, incidents

app_name = "improvements"

urlpatterns = [
    path("", actions.action_list, name="action_list"),
    path("baru/", actions.action_create, name="action_create"),
    path("<int:action_id>/", actions.action_detail, name="action_detail"),
    path("<int:action_id>/ubah/", actions.action_edit, name="action_edit"),
    path("<int:action_id>/kemajuan/", actions.action_progress, name="action_progress"),
    path("<int:action_id>/terbitkan/", actions.action_publish, name="action_publish"),
    path("<int:action_id>/kasus/", actions.case_link, name="action_case_link"),
    path(
        "<int:action_id>/kasus/<int:case_id>/lepas/", actions.case_unlink, name="action_case_unlink"
    ),
    path("<int:action_id>/temuan/", actions.finding_add, name="action_finding"),
    path("<int:action_id>/tahapan/", actions.milestone_add, name="milestone_add"),
    path(
        "<int:action_id>/tahapan/<int:milestone_id>/selesai/",
        actions.milestone_done,
        name="milestone_done",
    ),
    path("<int:action_id>/bukti/", actions.evidence_add, name="evidence_add"),
    path("<int:action_id>/bukti/<int:evidence_id>/", actions.evidence_file, name="evidence_file"),
    path(
        "<int:action_id>/bukti/<int:evidence_id>/hapus/",
        actions.evidence_remove,
        name="evidence_remove",
    ),
    path("kasus/<int:case_id>/", case_links.case_link, name="case_link"),
    path("insiden/", incidents.incident_list, name="incident_list"),
    path("insiden/baru/", incidents.incident_create, name="incident_create"),
    path("insiden/<int:incident_id>/", incidents.incident_detail, name="incident_detail"),
    path("insiden/<int:incident_id>/kasus/", incidents.incident_link, name="incident_link"),
    path(
        "insiden/<int:incident_id>/kasus/<int:case_id>/lepas/",
        incidents.incident_unlink,
        name="incident_unlink",
    ),
    path("insiden/<int:incident_id>/kabar/", incidents.incident_update, name="incident_update"),
    path("insiden/<int:incident_id>/tutup/", incidents.incident_close, name="incident_close"),
]
