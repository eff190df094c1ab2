"""Routes of analytics."""

urlpatterns = []
