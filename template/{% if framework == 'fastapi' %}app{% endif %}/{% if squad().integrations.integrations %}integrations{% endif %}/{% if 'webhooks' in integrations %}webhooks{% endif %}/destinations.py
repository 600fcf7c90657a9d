"""Where outgoing webhooks may go: public addresses only, so a subscriber cannot make the server call its own
network (server-side request forgery: cloud metadata at 169.254.169.254, databases, admin ports on 127.0.0.1...).

A URL is checked when it is registered (literal addresses and ``localhost``) and again before every delivery (its
DNS answers), because a name may point somewhere else later. Redirects are never followed. Local development and
tests that deliver to 127.0.0.1 set ``WEBHOOK_ALLOW_PRIVATE_URLS=true``.
"""

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

LOCAL_NAMES = ("localhost", "localhost.localdomain")


class DestinationRefused(ValueError):
    """The URL points (or resolves) to an address outgoing webhooks must not reach."""


def _refuse_address(host: str, address: str) -> None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone index
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if not ip.is_global or ip.is_multicast:
        shown = host if host == address else f"{host} ({address})"
        raise DestinationRefused(
            f"{shown} is not a public address; set WEBHOOK_ALLOW_PRIVATE_URLS=true only for local development"
        )


def _host(url: str) -> str:
    host = urlsplit(url).hostname
    if not host:
        raise DestinationRefused("the URL has no host")
    return host


def check_registered_url(url: str) -> None:
    """Refuse a URL whose host is a non-public literal address or a local name (no DNS: registration stays fast)."""
    host = _host(url)
    if host.lower().rstrip(".") in LOCAL_NAMES or host.lower().endswith(".localhost"):
        raise DestinationRefused(f"{host} is a local name; set WEBHOOK_ALLOW_PRIVATE_URLS=true only for local development")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return  # a name: checked against its DNS answers at delivery time
    _refuse_address(host, host)


async def check_delivery_url(url: str) -> None:
    """Refuse a URL unless every address its host resolves to is public (checked right before sending)."""
    check_registered_url(url)
    host = _host(url)
    port = urlsplit(url).port or (443 if url.lower().startswith("https") else 80)
    try:
        answers = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise DestinationRefused(f"{host} does not resolve: {exc.strerror}") from exc
    for *_, sockaddr in answers:
        _refuse_address(host, str(sockaddr[0]))
