"""Routes of the email_ingest adapter."""

app_name = "email_ingest"
urlpatterns = []
