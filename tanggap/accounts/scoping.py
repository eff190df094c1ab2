"""Unit scoping: the one place that decides which units a user may see or act on."""

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Membership, Unit
from .roles import roles_with


def units_for(user, capability: str) -> QuerySet[Unit]:
    """Return the units (with their sub-units) on which *user* holds *capability*."""
    if not user.is_authenticated or not user.is_active:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    paths = list(
        Membership.objects.filter(user=user, role__in=roles_with(capability)).values_list(
            "unit__path", flat=True
        )
    )
    if not paths:
        return Unit.objects.none()
    prefix = Q()
    for path in paths:
        prefix |= Q(path__startswith=path)
    return Unit.objects.filter(prefix)


def user_can(user, capability: str, unit: Unit) -> bool:
    """Return whether *user* holds *capability* on *unit*."""
    return units_for(user, capability).filter(pk=unit.pk).exists()


def get_scoped_or_404(queryset: QuerySet, **lookup):
    """Return the single object of an already-scoped queryset, or 404 (never 403)."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj
