"""Parse and check what an Open311 client sends; nothing here touches the database.

Sent-but-empty arguments behave exactly as not sent (GeoReport v2, general rules). Every
problem is collected, so a client learns all of them from one answer.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from tanggap.intake.uploads import CleanFile

from .choices import LIST_DATATYPES, Datatype
from .errors import Open311Error

MAX_DESCRIPTION = 4000
MAX_ADDRESS = 300
MAX_ADDRESS_ID = 100
MAX_NAME = 100
MAX_MEDIA_URL = 500
MAX_STRING_ATTRIBUTE = 500
MAX_ID_LIST = 200
MAX_PAGE_SIZE = 1000
SEARCH_SPAN = timedelta(days=90)

_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]{1,60})\](\[\])?$")
_SPACED_ZONE = re.compile(r" (\d\d:?\d\d)$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{6,30}$")


def clean_text(value: str) -> str:
    """Return *value* without control characters other than tab and line breaks."""
    return "".join(
        ch for ch in value if ch in "\t\n\r" or not unicodedata.category(ch).startswith("C")
    ).strip()


class Params:
    """Read-only access to the merged query and body arguments; empty means absent."""

    def __init__(self, values: dict[str, list[str]]):
        self.values = values

    def get(self, name: str) -> str | None:
        """Return the last non-empty value of *name*, stripped, or None."""
        found = [v.strip() for v in self.values.get(name, []) if v.strip()]
        return found[-1] if found else None

    def csv(self, name: str) -> list[str]:
        """Return the comma-separated values of *name*, without empties."""
        raw = self.get(name) or ""
        return [part.strip() for part in raw.split(",") if part.strip()]


def parse_w3c(value: str, *, end_of_day: bool = False) -> datetime | None:
    """Return an aware datetime for a W3C date or datetime; a missing zone is read as UTC."""
    try:
        # A "+07:00" sent unencoded in a query string arrives as " 07:00".
        parsed = parse_datetime(_SPACED_ZONE.sub(r"+\1", value))
    except ValueError:
        return None
    if parsed is None:
        try:
            day = parse_date(value)
        except ValueError:
            return None
        if day is None:
            return None
        parsed = datetime.combine(day, time.max if end_of_day else time.min)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


@dataclass
class SubmissionInput:
    """A checked POST Service Request."""

    description: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    address_string: str = ""
    address_id: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    media_url: str = ""
    attributes: dict[str, str | list[str]] = field(default_factory=dict)
    media: CleanFile | None = None


def _coordinate(raw: str, limit: int, errors: list) -> Decimal | None:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > limit:
        errors.append((400, _("“%(value)s” is not a WGS84 coordinate.") % {"value": raw[:40]}))
        return None
    return value.quantize(Decimal("0.000001"))


def _location(params: Params, data: SubmissionInput, errors: list) -> None:
    lat, long = params.get("lat"), params.get("long")
    if (lat is None) != (long is None):
        errors.append((400, _("lat and long must be sent together.")))
    elif lat is not None:
        data.latitude = _coordinate(lat, 90, errors)
        data.longitude = _coordinate(long, 180, errors)
    data.address_string = clean_text(params.get("address_string") or "")
    data.address_id = clean_text(params.get("address_id") or "")
    if len(data.address_string) > MAX_ADDRESS:
        errors.append(
            (400, _("address_string is longer than %(n)d characters.") % {"n": MAX_ADDRESS})
        )
    if len(data.address_id) > MAX_ADDRESS_ID:
        errors.append(
            (400, _("address_id is longer than %(n)d characters.") % {"n": MAX_ADDRESS_ID})
        )
    if lat is None and long is None and not data.address_string and not data.address_id:
        errors.append(
            (400, _("A location is required: lat and long, address_string or address_id."))
        )


def _submitter(params: Params, data: SubmissionInput, errors: list) -> None:
    data.first_name = clean_text(params.get("first_name") or "")
    data.last_name = clean_text(params.get("last_name") or "")
    if len(data.first_name) > MAX_NAME or len(data.last_name) > MAX_NAME:
        errors.append((400, _("A name is longer than %(n)d characters.") % {"n": MAX_NAME}))
    if email := params.get("email"):
        try:
            validate_email(email)
            data.email = email
        except ValidationError:
            errors.append((400, _("email is not a valid e-mail address.")))
    if phone := params.get("phone"):
        if _PHONE.match(phone) and sum(ch.isdigit() for ch in phone) >= 6:
            data.phone = phone
        else:
            errors.append((400, _("phone is not a valid telephone number.")))


def _media_url(params: Params, data: SubmissionInput, errors: list) -> None:
    url = params.get("media_url")
    if url is None:
        return
    try:
        if len(url) > MAX_MEDIA_URL:
            raise ValidationError("long")
        URLValidator(schemes=["http", "https"])(url)
        data.media_url = url
    except ValidationError:
        errors.append(
            (400, _("media_url must be an http or https link of at most 500 characters.")),
        )


def parse_submission(params: Params, attributes: list, media: CleanFile | None) -> SubmissionInput:
    """Return the checked submission, or raise Open311Error (400) listing every problem.

    *attributes* are the service definition's ServiceAttribute rows; *media* is the upload,
    already cleaned by intake.uploads.
    """
    errors: list[tuple[int, str]] = []
    data = SubmissionInput(media=media)
    data.description = clean_text(params.get("description") or "")
    if len(data.description) > MAX_DESCRIPTION:
        errors.append(
            (400, _("description is longer than %(n)d characters.") % {"n": MAX_DESCRIPTION})
        )
    _location(params, data, errors)
    _submitter(params, data, errors)
    _media_url(params, data, errors)
    data.attributes = parse_attributes(params, attributes, errors)
    if errors:
        raise Open311Error(400, errors)
    return data


def _sent_attributes(params: Params) -> dict[str, list[str]]:
    sent: dict[str, list[str]] = {}
    for name, values in params.values.items():
        if match := _ATTRIBUTE.match(name):
            kept = [v.strip() for v in values if v.strip()]
            if kept:
                sent.setdefault(match.group(1), []).extend(kept)
    return sent


def parse_attributes(params: Params, attributes: list, errors: list) -> dict:
    """Return the answers to the attributes by code; add every problem to *errors*."""
    sent = _sent_attributes(params)
    known = {attribute.code: attribute for attribute in attributes if attribute.variable}
    for code in sorted(set(sent) - set(known)):
        errors.append(
            (
                400,
                _("attribute[%(code)s] is not an attribute of this service.") % {"code": code[:60]},
            )
        )
    answers: dict[str, str | list[str]] = {}
    for code, attribute in known.items():
        values = sent.get(code, [])
        if not values:
            if attribute.required:
                errors.append(
                    (
                        400,
                        _("attribute[%(code)s] is required: %(question)s")
                        % {"code": code, "question": attribute.description},
                    )
                )
            continue
        try:
            answers[code] = _attribute_value(attribute, values)
        except ValueError as exc:
            errors.append((400, f"attribute[{code}]: {exc}"))
    return answers


def _attribute_value(attribute, values: list[str]) -> str | list[str]:
    if attribute.datatype == Datatype.MULTIVALUELIST:
        unknown = [v for v in values if v not in attribute.value_keys()]
        if unknown:
            raise ValueError(
                _("“%(value)s” is not one of the choices.") % {"value": unknown[0][:60]}
            )
        return list(dict.fromkeys(values))
    if len(values) > 1:
        raise ValueError(_("only one value may be sent."))
    value = clean_text(values[0])
    if attribute.datatype in LIST_DATATYPES and value not in attribute.value_keys():
        raise ValueError(_("“%(value)s” is not one of the choices.") % {"value": value[:60]})
    if attribute.datatype == Datatype.NUMBER:
        try:
            if not Decimal(value).is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise ValueError(_("a number is expected.")) from None
    if attribute.datatype == Datatype.DATETIME and parse_w3c(value) is None:
        raise ValueError(_("a W3C date and time is expected, e.g. 2026-01-31T09:00:00+07:00."))
    limit = MAX_DESCRIPTION if attribute.datatype == Datatype.TEXT else MAX_STRING_ATTRIBUTE
    if len(value) > limit:
        raise ValueError(_("longer than %(n)d characters.") % {"n": limit})
    return value


@dataclass
class SearchInput:
    """A checked GET Service Requests query."""

    ids: list[int] | None = None
    service_codes: list[str] = field(default_factory=list)
    start: datetime | None = None
    end: datetime | None = None
    statuses: frozenset[str] = frozenset({"open", "closed"})
    page: int = 1
    page_size: int = MAX_PAGE_SIZE


def _positive(params: Params, name: str, default: int, errors: list) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        errors.append((400, _("%(name)s must be a whole number from 1.") % {"name": name}))
        return default
    return int(raw)


def _dates(params: Params, search: SearchInput, now: datetime, errors: list) -> None:
    start_raw, end_raw = params.get("start_date"), params.get("end_date")
    start = parse_w3c(start_raw) if start_raw else None
    end = parse_w3c(end_raw, end_of_day=True) if end_raw else None
    for raw, parsed, name in ((start_raw, start, "start_date"), (end_raw, end, "end_date")):
        if raw and parsed is None:
            errors.append(
                (
                    400,
                    _("%(name)s is not a W3C date and time, e.g. 2026-01-31T00:00:00Z.")
                    % {"name": name},
                )
            )
    if errors:
        return
    if start and end is None:
        end = start + SEARCH_SPAN
    elif end and start is None:
        start = end - SEARCH_SPAN
    elif start is None:
        start, end = now - SEARCH_SPAN, now
    if end < start:
        errors.append((400, _("end_date is before start_date.")))
    elif end - start > SEARCH_SPAN:
        errors.append((400, _("The date range may not exceed 90 days.")))
    search.start, search.end = start, end


def parse_search(params: Params, *, now: datetime) -> SearchInput:
    """Return the checked search; service_request_id overrides every other argument."""
    errors: list[tuple[int, str]] = []
    search = SearchInput()
    if ids := params.csv("service_request_id"):
        if len(ids) > MAX_ID_LIST:
            raise Open311Error.one(
                400, _("At most %(n)d service_request_id values.") % {"n": MAX_ID_LIST}
            )
        # An id that is not ours matches nothing, as an unknown id does.
        search.ids = [int(i) for i in ids if i.isdigit() and len(i) < 19]
        return search
    search.service_codes = params.csv("service_code")[:MAX_ID_LIST]
    if statuses := params.csv("status"):
        unknown = {s.lower() for s in statuses} - {"open", "closed"}
        if unknown:
            errors.append((400, _("status is open, closed, or both separated by a comma.")))
        search.statuses = frozenset(s.lower() for s in statuses) - unknown
    _dates(params, search, now, errors)
    search.page = _positive(params, "page", 1, errors)
    search.page_size = min(_positive(params, "page_size", MAX_PAGE_SIZE, errors), MAX_PAGE_SIZE)
    if errors:
        raise Open311Error(400, errors)
    return search
