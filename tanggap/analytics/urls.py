"""Staff routes of analytics."""

app_name = "analytics"
urlpatterns = []
