"""Routes of the email_ingest adapter."""

urlpatterns = []
