"""The API's documentation page: served from our own static files, under the site's CSP.

django-ninja serves Swagger UI from its own static files because "ninja" is an installed app
(otherwise it links a CDN, which the CSP blocks and which fails offline).
"""

import pytest
from django.contrib.staticfiles import finders

from tanggap.common.tests.api_helpers import BASE

# Swagger UI's own markup: headings that skip levels and a button inside a link-like
# summary. Everything Tanggap controls (language, landmarks, contrast) passes.
SWAGGER_OWN = {"heading-order", "nested-interactive"}


@pytest.mark.django_db
def test_the_docs_page_loads_only_same_origin_scripts(client):
    # when the documentation page is opened
    response = client.get(f"{BASE}/docs")
    html = response.content.decode()
    # then its scripts and styles are our static files, its only inline script is JSON data,
    # and the site's CSP applies to it
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert '<script type="application/json" id="swagger-settings">' in html
    assert html.count("<script") == 3
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert finders.find("ninja/swagger-ui-bundle.js")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_docs_page_renders_in_a_browser_without_csp_violations(page, live_server):
    from axe_playwright_python.sync_playwright import Axe

    # given a browser that records policy violations
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    # when the documentation page is opened on a phone-sized screen
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}{BASE}/docs")
    # then Swagger UI lists the operations, and nothing broke the policy
    page.get_by_text("/api/v1/reports/track").first.wait_for(timeout=15_000)
    assert violations == []
    found = {v["id"] for v in Axe().run(page).response["violations"]}
    assert found <= SWAGGER_OWN, found
