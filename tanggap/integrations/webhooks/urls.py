"""Routes of the webhooks adapter."""

urlpatterns = []
