"""The client's address behind the reverse proxy.

gunicorn leaves ``REMOTE_ADDR`` as the address that connected: behind a reverse proxy,
the proxy's, the same for every user. Where that address is a trusted proxy
(``SAMVERKAN_FORWARDED_ALLOW_IPS``, the list gunicorn believes for the scheme too), the
client is the right-most address in ``X-Forwarded-For`` that is not itself a trusted
proxy: the addresses to its left were written by the client and prove nothing.
The abuse limits (core/limits.py), the per-username lockout (django-axes, through
``AXES_CLIENT_IP_CALLABLE``) and the audit rows use it.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _trusted() -> set[str] | None:
    """The trusted proxies' addresses; None for "*" (every address)."""
    value = getattr(settings, "SAMVERKAN_SERVE", {}).get("FORWARDED_ALLOW_IPS", "")
    items = {item.strip() for item in str(value).split(",") if item.strip()}
    return None if "*" in items else items


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(meta) -> str | None:
    remote = meta.get("REMOTE_ADDR") or None
    trusted = _trusted()
    if remote is None or (trusted is not None and remote not in trusted):
        return remote
    forwarded = [a for a in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if a.strip()]
    for candidate in reversed(forwarded):
        address = _valid(candidate)
        if address is None:
            return remote  # a malformed header: believe nothing in it
        if trusted is None or address not in trusted:
            return address
    return remote


def for_request(request) -> str | None:
    """The client's address of a request (django-axes' ``AXES_CLIENT_IP_CALLABLE``)."""
    if request is None:
        return None
    return client_ip(getattr(request, "META", {}))
