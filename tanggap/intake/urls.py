"""Public intake and tracking routes, and the officer screens."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .views import audit, boxes, handling, officer, public, supervision, tracking

app_name = "intake"

urlpatterns = [
    path("lapor/", public.report_create, name="report"),
    path("lapor/u/<slug:unit_slug>/", public.report_create, name="report_unit"),
    path("lapor/layanan/<int:service_id>/", public.report_create, name="report_service"),
    path("lapor/loket/<slug:counter_code>/", public.report_create, name="report_counter"),
    path("lapor/qr/<str:target>/<str:key>.svg", public.qr_code, name="qr"),
    path("lapor/tanda-terima/<str:code>/", public.receipt, name="receipt"),
    path("lapor/tanda-terima/<str:code>/pdf/", public.receipt_download, name="receipt_pdf"),
    path("lacak/", tracking.track_form, name="track"),
    path("lacak/tautan/<str:token>/", tracking.track_link, name="track_link"),
    path("lacak/<str:code>/", tracking.track_detail, name="track_detail"),
    path("kotak-saran/<slug:code>/", boxes.box_public, name="box_public"),
]

officer_patterns = (
    [
        path("", officer.inbox, name="inbox"),
        path(
            "masuk/",
            auth_views.LoginView.as_view(
                template_name="officer/login.html", redirect_authenticated_user=True
            ),
            name="login",
        ),
        path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
        path("massal/", officer.inbox_bulk, name="inbox_bulk"),
        path("laporan/baru/", officer.report_enter, name="report_enter"),
        path("kasus/<int:case_id>/", handling.case_detail, name="case_detail"),
        path(
            "kasus/<int:case_id>/tindakan/<slug:action>/",
            handling.case_action,
            name="case_action",
        ),
        path("kasus/<int:case_id>/ubah/", handling.case_edit_view, name="case_edit"),
        path("kasus/<int:case_id>/gabung/", handling.case_attach, name="case_attach"),
        path(
            "kasus/<int:case_id>/pisah/<int:report_id>/",
            handling.report_detach_view,
            name="report_detach",
        ),
        path(
            "kasus/<int:case_id>/identitas/<int:report_id>/",
            officer.identity_reveal_view,
            name="identity_reveal",
        ),
        path(
            "kasus/<int:case_id>/lampiran/<int:attachment_id>/",
            officer.attachment_download,
            name="attachment",
        ),
        path("tim/", supervision.team, name="team"),
        path("serah-terima/", supervision.handover, name="handover"),
        path("kotak-saran/", boxes.box_list, name="boxes"),
        path("kotak-saran/<int:box_id>/buka/", boxes.opening_new, name="box_opening_new"),
        path("kotak-saran/pembukaan/<int:opening_id>/", boxes.opening_detail, name="box_opening"),
        path(
            "kotak-saran/pembukaan/<int:opening_id>/selesai/",
            boxes.opening_close,
            name="box_opening_close",
        ),
        path("audit/", audit.audit, name="audit"),
        path("audit/log.csv", audit.audit_log, name="audit_log"),
    ],
    "officer",
)
