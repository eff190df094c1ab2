"""The interface is Indonesian unless the visitor chose English with the switch."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_indonesian_even_when_the_phone_asks_for_english(client):
    response = client.get(reverse("officer:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.wsgi_request.LANGUAGE_CODE == "id"
    assert '<html lang="id">' in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_chooses_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/petugas/masuk/"})

    response = client.get(reverse("officer:login"))

    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_pages_forbid_inline_and_foreign_scripts(client):
    policy = client.get(reverse("intake:report"))["Content-Security-Policy"]

    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
