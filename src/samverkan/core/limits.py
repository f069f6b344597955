"""Abuse limits (decision 0170): how many requests of one kind one client may make in a
period, counted in Django's cache with django-ratelimit (fixed windows, atomic
increments; Redis in production, so that every web process shares the counts).

Each limit has a name and a rate in ``settings.SAMVERKAN["RATE_LIMITS"]`` (for example
``"120/m"``, ``"30/15m"``, ``None`` for no limit). ``hit`` counts one request and says
whether it is over the limit; ``peek`` only looks (a login refused for its address is not
counted again). A refusal answers 429 with ``Retry-After`` (``retry_after``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import structlog
from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from . import clientip

log = structlog.get_logger("samverkan.limits")

# Names of the limits and what they count (the rates: settings.SAMVERKAN["RATE_LIMITS"]).
API_USER = "api_user"  # API calls per user (bearer token's user)
API_IP = "api_ip"  # API calls per client address, whoever calls
PUBLIC_REPORT_IP = "public_report_ip"  # reports through the public form per address
LOGIN_FAILURES_IP = "login_failures_ip"  # failed password logins per address, any username
PORTAL_IP = "portal_ip"  # family portal requests per client address
PORTAL_SESSION = "portal_session"  # family portal requests per logged-in family member

# The shipped rates (each can be changed with an environment variable, base settings).
# A school behind one address mistypes far fewer than 30 passwords in 15 minutes; a
# spraying attack needs hundreds.
DEFAULT_RATES = {
    API_USER: "120/m",
    API_IP: "600/m",
    PUBLIC_REPORT_IP: "5/h",
    LOGIN_FAILURES_IP: "30/15m",
    PORTAL_IP: "300/m",
    PORTAL_SESSION: "60/m",
}


@dataclass(frozen=True)
class Verdict:
    limited: bool
    retry_after: int  # seconds until the window ends (at least 1 when limited)


ALLOWED = Verdict(limited=False, retry_after=0)


def rate(name: str) -> str | None:
    return settings.SAMVERKAN.get("RATE_LIMITS", {}).get(name)


def client_ip(group: str, request: HttpRequest) -> str:
    """The client's address, also behind the reverse proxy (core/clientip.py)."""
    return clientip.client_ip(request.META) or "unknown"


def _usage(request: HttpRequest, name: str, key: str | Callable, *, increment: bool) -> Verdict:
    limit = rate(name)
    if not limit:
        return ALLOWED
    usage = get_usage(request, group=f"samverkan.{name}", key=key, rate=limit, increment=increment)
    if usage is None:
        return ALLOWED
    limited = usage["count"] >= usage["limit"] if not increment else usage["should_limit"]
    if not limited:
        return ALLOWED
    return Verdict(limited=True, retry_after=max(1, int(usage["time_left"])))


def hit(request: HttpRequest, name: str, key: str | Callable = client_ip) -> Verdict:
    """Count this request against the limit ``name``; limited once the count passes it."""
    verdict = _usage(request, name, key, increment=True)
    if verdict.limited:
        log.warning("rate_limited", limit=name, retry_after=verdict.retry_after)
    return verdict


def peek(request: HttpRequest, name: str, key: str | Callable = client_ip) -> Verdict:
    """Whether the limit ``name`` is already used up, without counting this request."""
    return _usage(request, name, key, increment=False)


def retry_after(response, verdict: Verdict):
    """Mark a refusal: ``Retry-After`` in seconds (RFC 9110)."""
    response["Retry-After"] = str(verdict.retry_after)
    return response
