"""Recognise mail that no person wrote: auto-replies, bounces and delivery reports."""

from email.message import EmailMessage

# RFC 3834 and the de-facto headers of autoresponders.
_AUTORESPONDER_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoresponder")
_BULK_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply"})
_DAEMON_LOCAL_PARTS = frozenset({"mailer-daemon", "postmaster"})


def header_text(msg: EmailMessage, name: str) -> str:
    """Return a header as text, or "" when it is missing or too broken to parse."""
    try:
        value = msg.get(name)
    except Exception:  # noqa: BLE001 - the parser fails on hostile headers in many ways
        value = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), "")
    return " ".join(str(value or "").split())


def automatic_reason(msg: EmailMessage, sender: str = "") -> str:
    """Return why *msg* was sent by a machine (a short code), or "" for a person's mail."""
    auto = header_text(msg, "Auto-Submitted").lower()
    if auto and auto.split(";")[0].strip() != "no":
        return "auto_submitted"
    if header_text(msg, "Precedence").lower() in _BULK_PRECEDENCE:
        return "precedence"
    if any(msg.get(name) is not None for name in _AUTORESPONDER_HEADERS):
        return "autoresponder"
    if msg.get_content_type() == "multipart/report":
        # Delivery status notifications (bounces) and read receipts.
        return "report"
    if header_text(msg, "Return-Path") == "<>":
        # The null reverse path: only bounces and other automatic notices use it.
        return "null_sender"
    if sender.partition("@")[0].lower() in _DAEMON_LOCAL_PARTS:
        return "daemon"
    return ""
