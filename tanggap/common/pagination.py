"""Keyset pagination: stable, index-friendly pages over (field, id) orderings."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.db import connections
from django.db.models import F, Q, QuerySet

# Beyond this many partitions one plain query is cheaper than the union of per-partition scans.
MAX_PARTITIONS = 300


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


def _after(qs: QuerySet, field: str, descending: bool, after) -> QuerySet:
    if after is None:
        return qs
    value, pk = after
    gt = "lt" if descending else "gt"
    if value is None:
        return qs.filter(**{f"{field}__isnull": True, f"id__{gt}": pk})
    return qs.filter(
        Q(**{f"{field}__{gt}": value})
        | Q(**{field: value, f"id__{gt}": pk})
        | Q(**{f"{field}__isnull": True})
    )


def _ordered(qs: QuerySet, field: str, descending: bool) -> QuerySet:
    # Nulls go last; a NOT NULL field is ordered plainly so its index matches the ORDER BY.
    expression = F(field).desc() if descending else F(field).asc()
    if qs.model._meta.get_field(field).null:
        expression = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    return qs.order_by(expression, "-id" if descending else "id")


def keyset_page(
    qs: QuerySet,
    *,
    field: str,
    descending: bool = False,
    cursor: str | None = None,
    limit: int = 25,
    partition: tuple[str, list] | None = None,
) -> Page:
    """Return one page of *qs* ordered by (*field*, id), nulls last; a bad cursor starts over.

    With *partition* (a field and its allowed values), each value's rows are read through its
    own index range and the results merged: one (unit, due_at) index scan per unit instead of
    sorting every visible row. Databases that cannot order inside a UNION get one plain query.
    """
    after = _decode(cursor) if cursor else None
    if partition is not None:
        name, values = partition
        features = connections[qs.db].features
        if features.supports_slicing_ordering_in_compound and 1 < len(values) <= MAX_PARTITIONS:
            parts = [
                _ordered(
                    _after(qs.filter(**{name: v}), field, descending, after), field, descending
                ).values_list("id", flat=True)[: limit + 1]
                for v in values
            ]
            qs = qs.filter(id__in=list(parts[0].union(*parts[1:], all=True)))
        else:
            qs = qs.filter(**{f"{name}__in": values})
    rows = list(_ordered(_after(qs, field, descending, after), field, descending)[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = _encode(getattr(last, field), last.pk)
        rows = rows[:limit]
    return Page(items=rows, next_cursor=next_cursor)
