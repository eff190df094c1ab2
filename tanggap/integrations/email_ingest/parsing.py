"""Read a raw RFC 822 message into what a report needs, whatever its encoding or damage.

Pure: no database. Broken MIME is read as far as it goes; only a mail without a usable sender
is refused (``MailUnreadable``), so the caller can keep it for a person.
"""

import codecs
import email
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import getaddresses

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .htmltext import html_to_text
from .screening import automatic_reason, header_text

MAX_MAIL_BYTES = 30 * 1024 * 1024
# A hostile mail can hold or nest thousands of parts; a citizen's never does. The parser
# would spend minutes on them, so a mail with more boundary-like lines is not parsed at all.
MAX_PARTS = 100
MAX_BOUNDARY_LINES = 2000
MAX_REFERENCES = 20

_MESSAGE_ID = re.compile(r"<([^<>\s]{1,250})>")
_REPLY_PREFIX = re.compile(
    r"^\s*((re|fw|fwd|aw|tr|balas|bls|trs|teruskan)\s*(\[\d+\])?\s*:\s*)+", re.I
)
# Labels that mail programs write for windows-1252 text: decoders read them the same way.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252"}
# Text labelled ASCII is often UTF-8 or windows-1252 from a careless program.
_ASCII_LABELS = frozenset({"us-ascii", "ascii", "ansi_x3.4-1968"})


class MailUnreadable(Exception):  # noqa: N818 - a condition, not a programming error
    """The mail cannot become a report; *code* says why."""

    def __init__(self, code: str, *, message_id: str = "", detail: str = ""):
        super().__init__(code)
        self.code = code
        self.message_id = message_id
        self.detail = detail


@dataclass
class ParsedMail:
    """What a mail says, in plain text, with its attachments still unchecked."""

    message_id: str
    sender: str
    sender_name: str
    subject: str
    text: str
    references: list[str] = field(default_factory=list)
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    automatic: str = ""
    loop_markers: list[str] = field(default_factory=list)


def parse_mail(raw: bytes) -> ParsedMail:
    """Return the parts of *raw* a report needs; raise MailUnreadable for no usable sender."""
    if not raw or not raw.strip():
        raise MailUnreadable("empty", message_id=content_id(raw))
    if len(raw) > MAX_MAIL_BYTES:
        raise MailUnreadable("too_large", message_id=content_id(raw))
    if raw.count(b"\n--") > MAX_BOUNDARY_LINES:
        raise MailUnreadable("too_many_parts", message_id=content_id(raw))
    try:
        msg = email.message_from_bytes(raw, policy=policy.default)
    except RecursionError:
        raise MailUnreadable("too_deep", message_id=content_id(raw)) from None
    message_id = _message_id(msg, raw)
    try:
        sender_name, sender = _sender(msg)
    except MailUnreadable as exc:
        if automatic := automatic_reason(msg):
            # A bounce with a mangled From is still a bounce.
            return ParsedMail(message_id, "", "", "", "", automatic=automatic)
        exc.message_id = message_id
        raise
    body, attachments = _body_and_attachments(msg)
    return ParsedMail(
        message_id=message_id,
        sender=sender,
        sender_name=sender_name,
        subject=clean_line(header_text(msg, "Subject")),
        text=body,
        references=_references(msg),
        attachments=attachments,
        automatic=automatic_reason(msg, sender),
        loop_markers=[clean_line(str(v)).lower() for v in msg.get_all("X-Loop") or []],
    )


def clean_line(value: str) -> str:
    """Return one line of header text without control characters or runs of spaces."""
    value = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in value)
    return " ".join(value.split())


def title_from_subject(subject: str) -> str:
    """Return the subject without reply and forward prefixes (Re:, Fwd:, Balas:)."""
    return _REPLY_PREFIX.sub("", subject).strip()


def content_id(raw: bytes) -> str:
    """Return the identity of a mail without a Message-ID: the same bytes are the same mail."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _message_id(msg: EmailMessage, raw: bytes) -> str:
    if found := _MESSAGE_ID.search(header_text(msg, "Message-ID")):
        return found.group(1)
    return content_id(raw)


def _references(msg: EmailMessage) -> list[str]:
    ids = []
    for name in ("In-Reply-To", "References"):
        ids += _MESSAGE_ID.findall(header_text(msg, name))
    # The newest references are last; they are the likeliest to be ours.
    return list(dict.fromkeys(reversed(ids)))[:MAX_REFERENCES]


def _sender(msg: EmailMessage) -> tuple[str, str]:
    try:
        addresses = [(a.display_name, a.addr_spec) for a in msg["From"].addresses]
    except Exception:  # noqa: BLE001 - a missing or mangled From header
        addresses = getaddresses([header_text(msg, "From")])
    for name, address in addresses:
        address = address.strip()
        try:
            validate_email(address)
        except ValidationError:
            continue
        local, _at, domain = address.rpartition("@")
        return clean_line(name)[:200], f"{local}@{domain.lower()}"
    raise MailUnreadable("sender", detail=header_text(msg, "From")[:200])


def _leaves(msg: EmailMessage):
    """Yield the non-multipart parts, depth first, at most MAX_PARTS of them."""
    stack, seen = [msg], 0
    while stack and seen < MAX_PARTS:
        part = stack.pop()
        seen += 1
        if part.is_multipart() and part.get_content_maintype() == "multipart":
            stack.extend(reversed(list(part.iter_parts())))
        else:
            yield part


def _is_attachment(part: EmailMessage) -> bool:
    if part.get_content_disposition() == "attachment" or _filename(part):
        return True
    return part.get_content_maintype() != "text"


def _body_and_attachments(msg: EmailMessage) -> tuple[str, list[tuple[str, bytes]]]:
    plain, html, attachments = [], None, []
    for part in _leaves(msg):
        if _is_attachment(part):
            attachments.append((_filename(part) or "attachment", _payload(part)))
        elif part.get_content_subtype() == "html":
            html = html if html is not None else part
        else:
            plain.append(part)
    if text := "\n\n".join(t for p in plain if (t := decode_text(p).strip())):
        return text, attachments
    if html is not None:
        return html_to_text(decode_text(html)), attachments
    return "", attachments


def _filename(part: EmailMessage) -> str:
    try:
        return clean_line(part.get_filename() or "")
    except Exception:  # noqa: BLE001 - a broken RFC 2231 parameter names nothing
        return ""


def _payload(part: EmailMessage) -> bytes:
    try:
        data = part.get_payload(decode=True)
        return data if isinstance(data, bytes) else part.as_bytes()
    except Exception:  # noqa: BLE001 - undecodable content is checked (and refused) as bytes
        return b""


def decode_text(part: EmailMessage) -> str:
    """Return a text part as str: its declared charset, else UTF-8, else windows-1252."""
    data = _payload(part)
    label = (part.get_content_charset() or "us-ascii").strip().lower()
    try:
        charset = codecs.lookup(_CHARSET_ALIASES.get(label, label)).name
    except LookupError:
        charset = "utf-8"
    candidates = ["utf-8", "cp1252"] if label in _ASCII_LABELS else [charset, "utf-8"]
    for candidate in dict.fromkeys(candidates):
        try:
            return data.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("cp1252", errors="replace")
