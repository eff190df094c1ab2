"""Filters that say shares, durations and changes the same way on every analytics page."""

from django import template
from django.utils import formats

from ..presentation import hours_text, percent_text

register = template.Library()


@register.filter
def percent(share):
    """Show a share (0..1) as a percentage, or a dash."""
    return percent_text(share)


@register.filter
def duration(hours):
    """Show a duration in hours (or days), or a dash."""
    return hours_text(hours)


@register.filter
def points(change, places=1):
    """Show a change with its sign: +3, −1.5 (percentage points for shares: pass "pp")."""
    if change is None:
        return ""
    if places == "pp":
        value, places = float(change) * 100, 1
    else:
        value = float(change)
    text = formats.number_format(abs(value), int(places) if value % 1 else 0)
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


@register.filter
def count(value, hidden="<5"):
    """Show a count, or the mark of a hidden small cell."""
    return hidden if value is None else value
