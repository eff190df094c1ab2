"""Routes of the lapor adapter."""

app_name = "imports"
urlpatterns = []
