"""Staff routes of the portal: the masked preview and publishing of a case."""

from django.urls import path

from .views import staff

app_name = "publishing"
urlpatterns = [
    path("kasus/<int:case_id>/", staff.publish, name="publish"),
    path("kasus/<int:case_id>/tarik/", staff.withdraw, name="withdraw"),
]
