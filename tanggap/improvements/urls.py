"""Routes of improvements."""

urlpatterns = []
