"""The address a request came from, for the login throttle (django-axes).

Behind the documented TLS proxy every request arrives from the proxy's address, so the throttle
must read the client's address from ``X-Forwarded-For``, but only when the operator says a
proxy of ours sets it (``DJANGO_PROXY_SETS_X_FORWARDED_FOR``): otherwise any client could name
any address there and escape its lockout. Even then only the last entry is read, the one our
proxy appended; the entries before it are whatever the client sent.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    if not getattr(settings, "PROXY_SETS_X_FORWARDED_FOR", False):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        return remote  # no header (a request that bypassed the proxy) or not an address


def lockout_parameters(request_or_attempt, credentials=None) -> list:
    """What a lockout is keyed on: a username at an address; and an address alone (one password
    sprayed across many usernames) only when the address is the client's own. Behind a proxy
    whose X-Forwarded-For is not trusted, every editor shares the proxy's address, and locking
    it would lock every one of them out."""
    behind_proxy = settings.SECURE_PROXY_SSL_HEADER is not None
    if behind_proxy and not getattr(settings, "PROXY_SETS_X_FORWARDED_FOR", False):
        return [["username", "ip_address"]]
    return [["username", "ip_address"], "ip_address"]
