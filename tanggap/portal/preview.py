"""The officer's masked preview: the source texts, their detected spans and the masked drafts."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from tanggap.cases.models import Case
from tanggap.insights import pii
from tanggap.intake.models import Report
from tanggap.responses.selectors import published_replies

KIND_LABELS = {
    pii.NIK: _("NIK"),
    pii.KK: _("Family card number (KK)"),
    pii.NUMBER: _("Long number"),
    pii.PHONE: _("Telephone"),
    pii.EMAIL: _("E-mail"),
    pii.PLATE: _("Vehicle plate"),
    pii.ADDRESS: _("Address"),
    pii.NAME: _("Name"),
    pii.OTHER: _("Masked by hand"),
}
FIELDS = ("title", "text", "reply")


@dataclass(frozen=True)
class Segment:
    """A piece of a source text; *kind* is set when it is a detected identifier."""

    text: str
    kind: str = ""

    @property
    def label(self) -> str:
        return str(KIND_LABELS.get(self.kind, ""))


def source_texts(case: Case) -> dict[str, str]:
    """Return the case's title, its first report's text and its last published final reply."""
    first = Report.objects.filter(case=case).order_by("created_at", "id").first()
    finals = [r for r in published_replies(case=case) if r.is_final]
    return {
        "title": case.title,
        "text": first.description if first else "",
        "reply": finals[-1].body if finals else "",
    }


def segments(text: str) -> list[Segment]:
    """Return *text* cut into plain pieces and detected identifiers, for highlighting."""
    out, pos = [], 0
    for span in pii.find(text):
        if span.start > pos:
            out.append(Segment(text[pos : span.start]))
        out.append(Segment(text[span.start : span.end], span.kind))
        pos = span.end
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out


def extra_strings(raw: str) -> list[str]:
    """Return the officer's extra strings to mask, one a line, at least two characters each."""
    return [line.strip() for line in raw.splitlines() if len(line.strip()) >= 2][:50]


def masked(texts: dict[str, str], extras: list[str]) -> dict[str, str]:
    """Return each text masked: every detected identifier and every extra string."""
    return {
        name: pii.mask(value, extra_spans=pii.spans_for(value, extras))
        for name, value in texts.items()
    }
