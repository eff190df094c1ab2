"""API: token authentication and scope, and the units, services and categories citizens choose."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from tanggap.common.api import (
    AUTH_ERRORS,
    COMMON_ERRORS,
    PAGE_DEFAULT,
    PAGE_MAX,
    ErrorOut,
    checked_cursor,
)
from tanggap.common.pagination import keyset_page

from .api_tokens import api_token_check, token_units
from .models import ApiToken, Unit
from .roles import Capability
from .scoping import get_scoped_or_404
from .selectors import categories_of, services_of, units_accepting_reports


class TokenAuth(HttpBearer):
    """A bearer API token; a wrong, expired or revoked one is refused, never ignored."""

    def __call__(self, request: HttpRequest):
        value = request.headers.get(self.header, "")
        if value and not value.lower().startswith("bearer "):
            raise AuthenticationError
        return super().__call__(request)

    def authenticate(self, request, token):
        found = api_token_check(token.strip())
        if found is None:
            raise AuthenticationError
        request.user = found.user
        return found


class Public:
    """No token: a citizen or a public kiosk. Truthy, so authentication passes."""

    pk = None
    user = None

    def __bool__(self):
        return True


def public(request):
    """Let a request without a token through as the public (after TokenAuth had its say)."""
    return Public()


token_auth = TokenAuth()
# A token when one is given (a wrong one is refused), the public otherwise.
optional_token = [token_auth, public]


def api_token(request) -> ApiToken | None:
    """Return the request's API token, or None for the public."""
    return request.auth if isinstance(request.auth, ApiToken) else None


def api_units(request, capability: str):
    """Return the units where the request's token may use *capability*."""
    token = api_token(request)
    return token_units(token, capability) if token else Unit.objects.none()


router = Router(tags=["units"])


class PageQuery(Schema):
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(PAGE_DEFAULT, ge=1, le=PAGE_MAX)


class UnitOut(Schema):
    id: int
    name: str
    slug: str
    organisation: str
    parent_id: int | None
    time_zone: str
    open_24h: bool

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.name


class UnitPage(Schema):
    items: list[UnitOut]
    next_cursor: str | None


class ServiceOut(Schema):
    id: int
    unit_id: int
    name: str
    code: str


class CategoryOut(Schema):
    id: int
    organisation_id: int
    name: str


class MeOut(Schema):
    username: str
    token_name: str
    expires_at: datetime
    units: list[UnitOut]


@router.get("/units", response={200: UnitPage} | COMMON_ERRORS, auth=None)
def unit_list(request, page: Query[PageQuery]):
    """List the units that accept reports, a page at a time."""
    result = keyset_page(
        units_accepting_reports(),
        field="created_at",
        cursor=checked_cursor(page.cursor),
        limit=page.limit,
    )
    return {"items": result.items, "next_cursor": result.next_cursor}


def _unit(unit_id: int) -> Unit:
    return get_scoped_or_404(units_accepting_reports(), pk=unit_id)


@router.get(
    "/units/{unit_id}/services",
    response={200: list[ServiceOut]} | COMMON_ERRORS | {404: ErrorOut},
    auth=None,
)
def unit_services(request, unit_id: int):
    """List the active services a unit delivers."""
    return list(services_of([_unit(unit_id)]).order_by("name", "id"))


@router.get(
    "/units/{unit_id}/categories",
    response={200: list[CategoryOut]} | COMMON_ERRORS | {404: ErrorOut},
    auth=None,
)
def unit_categories(request, unit_id: int):
    """List the active report categories of a unit's organisation."""
    return list(categories_of([_unit(unit_id)]).order_by("name", "id"))


@router.get("/me", response={200: MeOut} | AUTH_ERRORS, auth=token_auth, tags=["tokens"])
def me(request):
    """Say whom the token acts as, until when, and on which units it may see cases."""
    token = request.auth
    units = token_units(token, Capability.VIEW_CASES).select_related("organisation")
    return {
        "username": token.user.username,
        "token_name": token.name,
        "expires_at": token.expires_at,
        "units": list(units),
    }
