"""The SSRF guard: only public http(s) addresses, checked on every name the host resolves to."""

import socket

import pytest
from django.utils import translation

from tanggap.integrations.webhooks.addresses import UnsafeURL, url_check


@pytest.fixture(autouse=True)
def in_english():
    """The refusals are matched by their English text."""
    with translation.override("en"):
        yield


INTERNAL = [
    "http://127.0.0.1/hook",
    "http://10.20.30.40/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:7f00:1]/hook",
    "http://localhost:8000/hook",
    "http://2130706433/hook",  # 127.0.0.1 written as one decimal number
    "http://0x7f000001/hook",
    "http://127.1/hook",
    "http://0.0.0.0/hook",
    "http://[::]/hook",
    "http://192.168.1.1/hook",
    "http://172.16.0.1/hook",
    "http://100.64.0.1/hook",  # carrier-grade NAT
    "http://224.0.0.1/hook",
    "http://240.0.0.1/hook",
    "http://[fe80::1]/hook",
    "http://[fc00::1]/hook",
    "http://[ff02::1]/hook",
]


@pytest.mark.parametrize("url", INTERNAL)
def test_internal_addresses_are_refused(url):
    with pytest.raises(UnsafeURL, match="internal address"):
        url_check(url)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/hook",
        "file:///etc/passwd",
        "gopher://example.org/",
        "javascript:alert(1)",
        "https://user:pass@example.org/hook",
        "https:///hook",
        "http://example.org:99999/hook",
    ],
)
def test_other_schemes_credentials_and_broken_urls_are_refused(url):
    with pytest.raises(UnsafeURL):
        url_check(url)


def resolver(*addresses):
    """Return a DNS answer of *addresses* for any name, as getaddrinfo gives it."""

    def resolve(host, port, type=0):  # noqa: A002 - getaddrinfo's keyword
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, type, 6, "", (a, port))
            for a in addresses
        ]

    return resolve


def test_a_public_host_is_pinned_to_the_address_checked():
    target = url_check("https://hooks.example.org/in?x=1", resolve=resolver("93.184.216.34"))

    assert target.pinned_url() == "https://93.184.216.34/in?x=1"
    assert target.host_header() == "hooks.example.org"


def test_a_public_ipv6_host_is_pinned_in_brackets():
    target = url_check("http://hooks.example.org:8080/", resolve=resolver("2606:4700::1111"))

    assert target.pinned_url() == "http://[2606:4700::1111]:8080/"
    assert target.host_header() == "hooks.example.org:8080"


def test_one_internal_record_among_public_ones_refuses_the_host():
    # a name that answers a public and a loopback address (DNS rebinding) is refused
    with pytest.raises(UnsafeURL):
        url_check("https://hooks.example.org/", resolve=resolver("93.184.216.34", "127.0.0.1"))


def test_an_unresolvable_host_is_refused():
    def fail(host, port, type=0):  # noqa: A002
        raise socket.gaierror("no such name")

    with pytest.raises(UnsafeURL, match="resolved"):
        url_check("https://nowhere.invalid/", resolve=fail)


def test_an_operator_may_allow_a_private_network(settings):
    settings.TANGGAP_WEBHOOK_ALLOWED_NETWORKS = ["10.20.0.0/16"]

    assert str(url_check("http://10.20.30.40/hook").address) == "10.20.30.40"
    with pytest.raises(UnsafeURL):
        url_check("http://10.21.0.1/hook")
