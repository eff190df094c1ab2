"""Cut the quoted earlier messages from a reply, so a case keeps only what is new."""

import re

# The line mail programs write above the quoted message, in English and Indonesian.
_ATTRIBUTION = re.compile(
    r"^\s*(on\b.{0,200}\bwrote:|pada\b.{0,200}\bmenulis:|"
    r"-{2,}\s*(original message|pesan asli|forwarded message|pesan yang diteruskan)\s*-{2,}|"
    r"(from|dari)\s*:\s.*)\s*$",
    re.I,
)
_SIGNATURE = "-- "


def strip_quoted(text: str) -> str:
    """Return the new part of a reply: before the quote's attribution, without "> " lines.

    When nothing would remain (a reply written below the quote, say), the text is kept whole.
    """
    kept = []
    for line in text.splitlines():
        if _ATTRIBUTION.match(line) or line.rstrip() == _SIGNATURE.rstrip():
            break
        if not line.lstrip().startswith(">"):
            kept.append(line)
    new = "\n".join(kept).strip()
    return new or text.strip()
