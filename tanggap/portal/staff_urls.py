"""Staff routes of the portal: the masked preview and publishing of a case."""

app_name = "publishing"
urlpatterns = []
