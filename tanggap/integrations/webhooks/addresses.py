"""The guard against webhooks aimed at internal addresses (server-side request forgery).

A subscription's URL is checked when it is saved and again at every delivery: its host is
resolved and every address must be public; the request then goes to the address checked
(pinned), so a DNS answer that changes between the check and the request cannot redirect it.
Operators whose receivers live on a private network allow those networks explicitly with
``TANGGAP_WEBHOOK_ALLOWED_NETWORKS``.
"""

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[..., list]


class UnsafeURL(ValueError):
    """The URL may not be called: wrong scheme, unresolvable, or an internal address."""


@dataclass(frozen=True)
class Target:
    """A checked URL and the address to connect to."""

    url: str
    host: str
    address: Address

    def pinned_url(self) -> str:
        """Return the URL with the host replaced by the checked address."""
        parts = urlsplit(self.url)
        host = f"[{self.address}]" if self.address.version == 6 else str(self.address)
        netloc = f"{host}:{parts.port}" if parts.port else host
        return parts._replace(netloc=netloc).geturl()

    def host_header(self) -> str:
        parts = urlsplit(self.url)
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{parts.port}" if parts.port else host


def _allowed_networks() -> list:
    return [
        ipaddress.ip_network(net, strict=False)
        for net in getattr(settings, "TANGGAP_WEBHOOK_ALLOWED_NETWORKS", [])
    ]


def address_public(address: Address) -> bool:
    """Say whether *address* is public: not loopback, private, link-local, multicast, etc."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if any(address in net for net in _allowed_networks()):
        return True
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def url_check(url: str, *, resolve: Resolver = socket.getaddrinfo) -> Target:
    """Return where *url* may be called, or raise UnsafeURL saying why it may not."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeURL(_("The URL is not valid.")) from exc
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL(_("Only http and https URLs can receive webhooks."))
    if not parts.hostname:
        raise UnsafeURL(_("The URL has no host."))
    if parts.username or parts.password:
        raise UnsafeURL(_("The URL may not carry a user name or password."))
    try:
        infos = resolve(parts.hostname, port, type=socket.SOCK_STREAM)
        # The scope of a link-local IPv6 address ("fe80::1%eth0") is not part of the address.
        addresses = {ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos}
    except (OSError, UnicodeError, ValueError) as exc:
        raise UnsafeURL(_("The host of the URL cannot be resolved.")) from exc
    if not addresses:
        raise UnsafeURL(_("The host of the URL cannot be resolved."))
    # Every address must be public: with one bad record among good ones, any request might
    # land on it.
    if not all(address_public(a) for a in addresses):
        raise UnsafeURL(
            _("The URL points to an internal address; webhooks go only to public ones.")
        )
    address = sorted(addresses, key=lambda a: (a.version, int(a)))[0]
    return Target(url=url, host=parts.hostname, address=address)
