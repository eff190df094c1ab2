"""Public routes: statistics per unit and period, and the open-data download."""

from django.urls import path

from .views import public

app_name = "stats"
urlpatterns = [
    path("", public.index, name="index"),
    path("<int:unit_id>/", public.unit_statistics, name="unit"),
    path("<int:unit_id>/data.csv", public.unit_open_data, {"fmt": "csv"}, name="open_data_csv"),
    path("<int:unit_id>/data.json", public.unit_open_data, {"fmt": "json"}, name="open_data_json"),
]
