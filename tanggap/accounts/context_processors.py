"""What the signed-in user may reach, for the navigation."""

from django.utils.functional import SimpleLazyObject

from .models import Membership
from .roles import CAPABILITIES, Capability


def _capabilities(user) -> dict[str, bool]:
    if user.is_superuser:
        return dict.fromkeys(Capability.values, True)
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    granted = set().union(*(CAPABILITIES[r] for r in roles)) if roles else set()
    return {c: c in granted for c in Capability.values}


def capabilities(request):
    """Expose `can.<capability>` to templates: one query, and only when a template asks."""
    user = request.user
    if not user.is_authenticated:
        return {"can": {}}
    return {"can": SimpleLazyObject(lambda: _capabilities(user))}
