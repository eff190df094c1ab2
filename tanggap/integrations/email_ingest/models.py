"""Models of the email_ingest adapter."""
