"""Reads of units and what they offer, for public forms and staff screens."""

from django.db.models import QuerySet

from .models import Category, Counter, Service, Unit


def units_accepting_reports() -> QuerySet[Unit]:
    """Return the units a citizen can address a report to."""
    return Unit.objects.filter(accepts_reports=True).select_related("organisation")


def services_of(units) -> QuerySet[Service]:
    """Return the active services of *units*."""
    return Service.objects.filter(unit__in=units, is_active=True).select_related("unit")


def categories_of(units) -> QuerySet[Category]:
    """Return the active categories of the organisations of *units*."""
    return (
        Category.objects.filter(organisation__units__in=units, is_active=True)
        .select_related("organisation")
        .distinct()
    )


def counter_by_code(code: str) -> Counter | None:
    """Return the active counter with *code*, or None."""
    return Counter.objects.filter(code=code, is_active=True).select_related("unit").first()
