"""Routes of the open311 adapter."""

urlpatterns = []
