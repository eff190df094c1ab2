"""Keyset pagination: stable, index-friendly pages over (field, id) orderings."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Q, QuerySet


@dataclass
class Page:
    items: list
    next_cursor: str | None


def _encode(value, pk: int) -> str:
    raw = json.dumps([value.isoformat() if isinstance(value, datetime) else value, pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime | None, int] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return (datetime.fromisoformat(value) if value is not None else None), int(pk)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        return None


def keyset_page(
    qs: QuerySet,
    *,
    field: str,
    descending: bool = False,
    cursor: str | None = None,
    limit: int = 25,
) -> Page:
    """Return one page of *qs* ordered by (*field*, id), nulls last; a bad cursor starts over."""
    after = _decode(cursor) if cursor else None
    if after is not None:
        value, pk = after
        gt = "lt" if descending else "gt"
        if value is None:
            qs = qs.filter(**{f"{field}__isnull": True, f"id__{gt}": pk})
        else:
            qs = qs.filter(
                Q(**{f"{field}__{gt}": value})
                | Q(**{field: value, f"id__{gt}": pk})
                | Q(**{f"{field}__isnull": True})
            )
    sign = "-" if descending else ""

    order = [
        getattr(F(field), "desc" if descending else "asc")(nulls_last=True),
        f"{sign}id",
    ]
    rows = list(qs.order_by(*order)[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = _encode(getattr(last, field), last.pk)
        rows = rows[:limit]
    return Page(items=rows, next_cursor=next_cursor)
