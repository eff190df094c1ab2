"""Routes of portal."""

urlpatterns = []
