"""Routes of the webhooks adapter."""

app_name = "webhooks"
urlpatterns = []
