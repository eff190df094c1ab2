"""Routes of the lapor adapter."""

urlpatterns = []
