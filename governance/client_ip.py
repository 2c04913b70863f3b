"""The client's real address behind a reverse proxy or load balancer.

``REMOTE_ADDR`` is the client, unless it is one of ``settings.TRUSTED_PROXIES``
(addresses or networks): then the client is the rightmost address of
X-Forwarded-For that is not itself a trusted proxy. Addresses further left were
written by the client and are not believed, and the header is ignored altogether
when the request did not come from a trusted proxy. Used by django-axes
(``AXES_CLIENT_IP_CALLABLE``) so login throttling keys on the person's address,
not the proxy's (issue 14).
"""

import ipaddress
from functools import lru_cache


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request) -> str:
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _trusted(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote  # a malformed chain: trust nothing in it
        if not _trusted(hop, networks):
            return hop
    return remote
