"""Inbound e-mail: IMAP polling and an inbound webhook turning mail into reports."""
