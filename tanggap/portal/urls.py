"""Public routes of the transparency portal."""

from django.urls import path

from .feeds import PublishedCasesFeed
from .views import public

app_name = "portal"
urlpatterns = [
    path("", public.landing, name="landing"),
    path("kasus/", public.publication_index, name="list"),
    path("kasus/<str:reference>/", public.detail, name="detail"),
    path("peta/", public.map_view, name="map"),
    path("peta.geojson", public.map_data, name="map_data"),
    path("feed.atom", PublishedCasesFeed(), name="feed"),
    path("ikuti/konfirmasi/<str:token>/", public.follow_confirm, name="follow_confirm"),
    path("ikuti/berhenti/<str:token>/", public.unfollow, name="unfollow"),
]
