"""Staff routes of improvements."""

app_name = "improvements"
urlpatterns = []
