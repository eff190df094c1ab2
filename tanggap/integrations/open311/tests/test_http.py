"""Over a real socket: an HTTP client posts multipart with a photo and reads the XML feed."""

import httpx
import pytest

from tanggap.intake.models import Attachment
from tanggap.intake.tests.factories import jpeg_bytes

from .conftest import BASE, valid_post, xml


@pytest.mark.django_db(transaction=True)
def test_post_multipart_and_read_back_over_http(live_server, service, key):
    base = live_server.url + BASE
    with httpx.Client(base_url=base, timeout=30) as http:
        # when a client posts form fields with a photo, as the three client does
        created = http.post(
            "requests.json",
            data=valid_post(api_key=key),
            files={"media": ("foto.jpg", jpeg_bytes(), "image/jpeg")},
        )
        # then the request exists with its cleaned photo
        assert created.status_code == 200, created.text
        request_id = created.json()[0]["service_request_id"]
        assert Attachment.objects.get().report_id == int(request_id)
        # and the XML feed parses and lists it
        feed = http.get("requests.xml", params={"service_code": "spkt-antrian"})
        root = xml(feed)
        assert root.find("request/service_request_id").text == request_id
        # a wrong key over the wire is a 403 with a parseable body
        refused = http.post("requests.xml", data=valid_post(api_key="nope"))
        assert refused.status_code == 403
        assert xml(refused).findtext("error/code") == "403"
