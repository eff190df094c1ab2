"""GeoReport v2 endpoints: discovery, services, definitions, requests, tokens; JSON and XML."""

import functools
import logging

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.db.models import Max
from django.http import UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from tanggap.accounts.models import Organisation
from tanggap.common.exceptions import ApplicationError
from tanggap.intake.uploads import MAX_FILE_BYTES, clean_upload

from . import records, selectors
from .errors import Open311Error
from .formats import FORMATS, render, render_errors
from .models import ServiceDefinition
from .params import Params, parse_search, parse_submission
from .services import request_submit

logger = logging.getLogger(__name__)

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# One media file and the form fields: anything larger is refused before it is read.
MAX_BODY_BYTES = MAX_FILE_BYTES + 1024 * 1024
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# An application error's code -> the HTTP status GeoReport gives it.
SERVICE_STATUS = {"forbidden": 403, "revoked": 403, "inactive": 404}


def endpoint(*methods: str):
    """Wrap a view: check the format and method, answer Open311Error in the asked format.

    No endpoint reads a cookie or a session (a POST carries its api_key), so none needs CSRF
    protection, and a refused POST still gets an Open311 error rather than Django's page.
    """

    def wrap(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapped(request, *args, fmt: str, **kwargs):
            fmt = fmt.lower()
            try:
                if fmt not in FORMATS:
                    fmt = "xml"  # the one format every server must speak
                    raise Open311Error.one(400, _("Unknown format: use .json or .xml."))
                if request.method not in (*methods, "HEAD" if "GET" in methods else ""):
                    raise Open311Error.one(405, _("This method is not allowed here."))
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                # %r keeps a client's line breaks from forging log lines.
                logger.warning(
                    "open311 refused %s %r: %s %r",
                    request.method,
                    request.path,
                    error.status,
                    "; ".join(description for _code, description in error.errors),
                )
                response = render_errors(fmt, error.status, error.errors)
                if error.status == 405:
                    response["Allow"] = ", ".join(methods)
                return response

        return wrapped

    return wrap


def _params(request) -> Params:
    """Return the query and body arguments together; a body value wins over the query's."""
    try:
        values = {key: request.GET.getlist(key) for key in request.GET}
        if request.method == "POST":
            values.update({key: request.POST.getlist(key) for key in request.POST})
    except (
        RequestDataTooBig,
        TooManyFieldsSent,
        TooManyFilesSent,
        MultiPartParserError,
        UnreadablePostError,
        SuspiciousOperation,
    ):
        raise Open311Error.one(400, _("The request could not be read.")) from None
    return Params(values)


def _jurisdiction(params: Params) -> Organisation | None:
    try:
        return selectors.jurisdiction_find(params.get("jurisdiction_id"))
    except Organisation.DoesNotExist:
        raise Open311Error.one(404, _("jurisdiction_id not found.")) from None


@endpoint("GET")
def discovery(request, *, fmt):
    """Describe this endpoint: specification, address, formats, how to get a key."""
    changed = ServiceDefinition.objects.aggregate(at=Max("updated_at"))["at"] or timezone.now()
    changeset = records.w3c(changed)
    url = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt}))
    content = {
        "changeset": changeset,
        "contact": getattr(settings, "OPEN311_CONTACT", "")
        or _("Write to the complaint desk of the service unit concerned."),
        "key_service": getattr(settings, "OPEN311_KEY_SERVICE", "")
        or _("API keys are issued by the unit's administrator; see docs/open311.md."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url.rsplit("/", 1)[0],
                "changeset": changeset,
                "type": "test" if settings.DEBUG else "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, "discovery", content)


@endpoint("GET")
def service_list(request, *, fmt):
    """List the services requests can be submitted to."""
    params = _params(request)
    definitions = selectors.services_offered(_jurisdiction(params))
    return render(fmt, "services", [records.service_record(d) for d in definitions])


@endpoint("GET")
def service_definition(request, code, *, fmt):
    """Give a service's attributes (the questions asked when submitting)."""
    params = _params(request)
    definition = selectors.service_find(code, _jurisdiction(params))
    if definition is None:
        raise Open311Error.one(404, _("service_code not found."))
    return render(fmt, "service_definition", records.definition_record(definition))


@endpoint("GET", "POST")
def requests(request, *, fmt):
    """Search the public requests (GET) or submit one with an api_key (POST)."""
    if request.method == "POST":
        return _submit(request, fmt)
    params = _params(request)
    organisation = _jurisdiction(params)
    search = parse_search(params, now=timezone.now())
    found = selectors.requests_search(search, organisation)
    return render(fmt, "service_requests", [records.request_record(r) for r in found])


@endpoint("GET")
def request_detail(request, request_id, *, fmt):
    """Give one public request, as a list of one."""
    params = _params(request)
    found = selectors.request_find(request_id, _jurisdiction(params))
    if found is None:
        raise Open311Error.one(404, _("service_request_id not found."))
    return render(fmt, "service_requests", [records.request_record(found)])


@endpoint("GET")
def token(request, token, *, fmt):
    """Give the service_request_id a POST's token stands for."""
    params = _params(request)
    found = selectors.request_by_token(token, _jurisdiction(params))
    if found is None:
        raise Open311Error.one(404, _("token not found."))
    item = {"service_request_id": str(found.report_id), "token": found.token}
    return render(fmt, "service_requests", [item])


def _check_body(request) -> None:
    content_type = request.content_type or ""
    if content_type not in FORM_TYPES:
        raise Open311Error.one(
            400,
            _("Send the request as application/x-www-form-urlencoded or multipart/form-data."),
            code=415,
        )
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        raise Open311Error.one(
            400,
            _("The request is larger than %(n)d MB.") % {"n": MAX_BODY_BYTES // 1024 // 1024},
            code=413,
        )


def _media(request):
    fields = set(request.FILES)
    if fields - {"media"}:
        raise Open311Error.one(400, _("Only one file, in the field media, may be sent."))
    files = request.FILES.getlist("media")
    if not files:
        return None
    if len(files) > 1:
        raise Open311Error.one(400, _("Only one file, in the field media, may be sent."))
    upload = files[0]
    if upload.size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // 1024 // 1024
        raise Open311Error.one(400, _("media is larger than %(n)d MB.") % {"n": limit}, code=413)
    try:
        return clean_upload(upload.name or "media", upload.read())
    except ValidationError as error:
        code = 415 if error.code == "file_type" else 400
        raise Open311Error(400, [(code, message) for message in error.messages]) from None


def _submit(request, fmt):
    _check_body(request)
    params = _params(request)
    organisation = _jurisdiction(params)
    api_key = selectors.api_key_find(params.get("api_key"))
    if api_key is None:
        raise Open311Error.one(
            403, _("Invalid api_key received -- can't proceed with create_request.")
        )
    code = params.get("service_code")
    if code is None:
        raise Open311Error.one(400, _("service_code is required."))
    definition = selectors.service_find(code, organisation)
    if definition is None:
        raise Open311Error.one(404, _("service_code not found."))
    data = parse_submission(params, list(definition.attributes.all()), _media(request))
    try:
        created = request_submit(
            api_key=api_key, definition=definition, data=data, language=get_language() or "id"
        )
    except ApplicationError as error:
        raise Open311Error.one(SERVICE_STATUS.get(error.code, 400), error.message) from None
    logger.info("open311 request %s for %s from key %s", created.report_id, code, api_key.prefix)
    return render(fmt, "service_requests", [records.submitted_record(created)])
