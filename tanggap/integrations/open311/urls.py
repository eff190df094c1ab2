"""Routes of the Open311 GeoReport v2 endpoint; every resource ends in .json or .xml.

A leading extra slash is accepted: one client joins its base address and the path with "/",
so a base that ends in "/" asks for "//services.xml".
"""

from django.urls import re_path

from . import views

app_name = "open311"

FMT = r"\.(?P<fmt>[A-Za-z0-9]{1,10})$"
CODE = r"(?P<code>[A-Za-z0-9_.-]{1,60}?)"

urlpatterns = [
    re_path(r"^(?:/)?discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^(?:/)?services" + FMT, views.service_list, name="services"),
    re_path(r"^(?:/)?services/" + CODE + FMT, views.service_definition, name="service"),
    # The open311 1.1 client asks for the singular, off the spec.
    re_path(r"^(?:/)?service/" + CODE + FMT, views.service_definition, name="service_alias"),
    re_path(r"^(?:/)?requests" + FMT, views.requests, name="requests"),
    re_path(
        r"^(?:/)?requests/(?P<request_id>[^/]{1,40}?)" + FMT, views.request_detail, name="request"
    ),
    re_path(r"^(?:/)?tokens/(?P<token>[A-Za-z0-9_-]{1,60}?)" + FMT, views.token, name="token"),
]
