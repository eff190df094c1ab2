"""The API's one error format, size limit, rate limit and OpenAPI document."""

import pytest
from django.test import override_settings

from tanggap.common.tests.api_helpers import BASE, get, issue_token, post

pytestmark = pytest.mark.django_db


def test_unknown_ids_answer_404_in_the_error_format(client, spkt):
    # given no unit with this id
    # when its services are asked for
    response = get(client, "/units/987654/services")
    # then the answer is a 404 in the one format
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": "not_found",
            "message": response.json()["error"]["message"],
            "fields": [],
        }
    }


def test_query_parameters_of_the_wrong_type_name_the_parameter(client, spkt):
    # when a page size that is not a number is asked for
    response = get(client, "/units", limit="banyak")
    # then the parameter is named in the error
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "limit"


@override_settings(API_MAX_BODY_BYTES=1000)
def test_a_body_over_the_limit_is_refused_before_it_is_read(client, spkt):
    # when a body of 2,000 bytes is posted
    response = post(client, "/reports/track", {"code": "x" * 2000, "pin": "123456"})
    # then it is refused as too large
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


@override_settings(API_REQUESTS_PER_MINUTE=3)
def test_requests_past_the_rate_limit_get_429_with_retry_after(client, spkt, officer):
    # given three requests from one address within a minute
    statuses = [get(client, "/units").status_code for _ in range(3)]
    # when a fourth arrives
    refused = get(client, "/units")
    # then it is refused with a wait, while a token has its own allowance
    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert refused.json()["error"]["code"] == "rate_limited"
    assert get(client, "/me", token=issue_token(officer, spkt)).status_code == 200


def test_the_openapi_document_describes_tokens_keys_and_errors(client):
    # when the OpenAPI document is fetched
    document = client.get(f"{BASE}/openapi.json").json()
    # then it names the bearer scheme, the key header on POSTs and the error format
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    create = document["paths"]["/api/v1/reports"]["post"]
    assert {"in": "header", "name": "Idempotency-Key"}.items() <= create["parameters"][0].items()
    assert create["security"] == [{"TokenAuth": []}, {}]
    assert create["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }
    posts = [ops["post"] for ops in document["paths"].values() if "post" in ops]
    assert all(any(p["name"] == "Idempotency-Key" for p in op["parameters"]) for op in posts)


def test_a_path_the_api_does_not_have_answers_404_in_the_error_format(client):
    # when a path that does not exist under the API is asked for
    response = client.get(f"{BASE}/laporan-saya")
    # then the answer is JSON in the one format, not an HTML page
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
