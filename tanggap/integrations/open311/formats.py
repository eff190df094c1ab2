"""Render GeoReport v2 answers as JSON or XML from one structure.

JSON follows the spec's "Spark convention": a list endpoint answers a top-level array, the
service definition and discovery an object. In XML the same list sits in a root element, each
item in its own element (``services`` → ``service``). A None value is left out of both, so a
field that "may be absent" is absent, never null.
"""

import json
import re
from collections.abc import Iterable
from xml.etree import ElementTree as ET  # noqa: S405 - builds XML, never parses input

from django.http import HttpResponse

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
FORMATS = {"json": JSON_TYPE, "xml": XML_TYPE}
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

# The element of each item of a list, by the list's name.
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}

# Characters XML 1.0 cannot carry at all; a description holding one would break every parser.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value) -> str:
    """Return *value* as XML element text: booleans in lower case, no forbidden characters."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _strip_none(value):
    if isinstance(value, dict):
        return {k: _strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_none(v) for v in value]
    return value


def _append(parent: ET.Element, name: str, value) -> None:
    if value is None:
        return
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _append(element, key, inner)
    elif isinstance(value, list):
        for inner in value:
            _append(element, ITEMS[name], inner)
    else:
        element.text = xml_text(value)


def to_xml(root: str, content) -> str:
    """Return *content* (a dict of fields, or a list of items) as an XML document."""
    element = ET.Element(root)
    if isinstance(content, dict):
        for key, value in content.items():
            _append(element, key, value)
    else:
        for item in content:
            _append(element, ITEMS[root], item)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode")


def to_json(content) -> str:
    """Return *content* as JSON, absent fields left out."""
    return json.dumps(_strip_none(content), ensure_ascii=False)


def render(fmt: str, root: str, content, *, status: int = 200) -> HttpResponse:
    """Return the answer in *fmt* ("json" or "xml"); *root* names the XML root element."""
    body = to_json(content) if fmt == "json" else to_xml(root, content)
    return HttpResponse(body.encode("utf-8"), status=status, content_type=FORMATS[fmt])


def render_errors(fmt: str, status: int, errors: Iterable[tuple[int, str]]) -> HttpResponse:
    """Return the Open311 error list with its HTTP status."""
    items = [{"code": code, "description": description} for code, description in errors]
    return render(fmt, "errors", items, status=status)
