"""Public SKM routes."""

from django.urls import path

from . import views, views_invitation, views_kiosk_sw, views_staff

app_name = "surveys"

urlpatterns = [
    path("skm/u/<slug:unit_slug>/", views.questionnaire, name="unit"),
    path("skm/layanan/<int:service_id>/", views.questionnaire, name="service"),
    path("skm/loket/<slug:counter_code>/", views.questionnaire, name="counter"),
    path("skm/kiosk/sw.js", views_kiosk_sw.kiosk_service_worker, name="kiosk_sw"),
    path("skm/kiosk/<slug:counter_code>/", views.kiosk, name="kiosk"),
    path("skm/kiosk/<slug:counter_code>/kirim/", views.kiosk_submit, name="kiosk_submit"),
    path("skm/hasil/<slug:unit_slug>/", views.public_results, name="results"),
    path("skm/undangan/<slug:token>/", views_invitation.invitation, name="invitation"),
]


staff_patterns = (
    [
        path("", views_staff.period_list, name="period_list"),
        path("<int:period_id>/", views_staff.period_detail, name="period_detail"),
        path("<int:period_id>/tinjau/", views_staff.period_review, name="period_review"),
        path("kotak/<int:opening_id>/", views_staff.box_questionnaires, name="box_questionnaires"),
        path(
            "<int:period_id>/laporan.pdf", views_staff.period_report_pdf, name="period_report_pdf"
        ),
        path(
            "<int:period_id>/laporan.xlsx",
            views_staff.period_report_xlsx,
            name="period_report_xlsx",
        ),
    ],
    "surveys_staff",
)
