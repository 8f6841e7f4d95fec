"""Facts about an HTTP request that several apps need."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address of the person making the request, as recorded in the audit trail.

    Behind reverse proxies (settings.TRUSTED_PROXY_HOPS > 0) it is the entry that many hops
    from the right of X-Forwarded-For: the address our own outermost proxy saw. Entries further
    left are written by the client and cannot be trusted. Anything unparsable gives None rather
    than a made-up address.
    """
    address = request.META.get("REMOTE_ADDR") or ""
    hops = settings.TRUSTED_PROXY_HOPS
    if hops > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        address = forwarded[-hops] if len(forwarded) >= hops else ""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
