"""The address a request came from, for the login lockout."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, as seen by the first of our own proxies.

    Behind a proxy every request comes from the proxy, so the client's address is the entry
    our proxies appended last to X-Forwarded-For. Only those entries are trusted: a client
    can write anything in front of them.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        addresses = [address.strip() for address in forwarded if address.strip()]
        if len(addresses) >= proxies:
            return addresses[-proxies]
    return request.META.get("REMOTE_ADDR")
