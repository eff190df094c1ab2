"""Routes of the open311 adapter."""

app_name = "open311"
urlpatterns = []
