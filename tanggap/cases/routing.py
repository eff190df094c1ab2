"""Automatic disposition by routing rules, and the shift roster of 24-hour units."""

from django.db.models import Count, Q
from django.utils import timezone

from .choices import OPEN_STATUSES
from .models import Case, RoutingRule, Shift


def rule_for(case: Case, *, location_text: str = "") -> RoutingRule | None:
    """Return the first active rule of the case's organisation that matches it, if any."""
    place = location_text.casefold()
    rules = RoutingRule.objects.filter(organisation_id=case.organisation_id, is_active=True)
    rules = rules.filter(Q(category__isnull=True) | Q(category_id=case.category_id))
    rules = rules.filter(Q(service__isnull=True) | Q(service_id=case.service_id))
    for rule in rules.select_related("target_unit", "target_officer").order_by("position", "id"):
        if rule.location_contains and rule.location_contains.casefold() not in place:
            continue
        return rule
    return None


def officers_on_duty(unit, *, at=None):
    """Return the shifts of *unit* running at *at* (now by default)."""
    at = at or timezone.now()
    return Shift.objects.filter(unit=unit, starts_at__lte=at, ends_at__gt=at).select_related(
        "officer"
    )


def least_busy(officers):
    """Return the officer with the fewest open cases, the earliest listed on a tie."""
    officers = list(officers)
    if not officers:
        return None
    loads = dict(
        Case.objects.filter(assignee__in=officers, status__in=OPEN_STATUSES)
        .values_list("assignee")
        .annotate(n=Count("id"))
    )
    return min(officers, key=lambda o: (loads.get(o.pk, 0), officers.index(o)))
