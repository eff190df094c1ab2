"""Public routes of the transparency portal."""

app_name = "portal"
urlpatterns = []
