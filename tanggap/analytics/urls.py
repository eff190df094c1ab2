"""Staff routes of analytics: dashboards and evaluation reports."""

from django.urls import path

from .views import dashboard, reports

app_name = "analytics"
urlpatterns = [
    path("", dashboard.unit_list, name="units"),
    path("<int:unit_id>/", dashboard.unit_dashboard, name="dashboard"),
    path("<int:unit_id>/laporan/", reports.report_list, name="reports"),
    path("laporan/<int:report_id>.pdf", reports.report_file, {"fmt": "pdf"}, name="report_pdf"),
    path("laporan/<int:report_id>.xlsx", reports.report_file, {"fmt": "xlsx"}, name="report_xlsx"),
]
