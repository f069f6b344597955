"""Back-channel logout (OpenID Connect Back-Channel Logout 1.0, decision 0123): the
identity provider tells Samverkan, server to server, that a person's session there has
ended, and Samverkan ends the sessions that login opened.

The provider POSTs a signed logout token to ``/logga-in/e-legitimation/utloggning/``
(registered at the provider as the client's ``backchannel_logout_uri``). The token is
checked as strictly as an ID token (section 2.6 of the specification): an allowed
algorithm and a signature by one of the provider's keys, the issuer, this client as the
audience, ``iat`` (and ``exp`` when given) within the leeway, the back-channel logout
event, a ``sid`` or a ``sub``, no ``nonce``, and a ``jti`` used once. Answers: 200 when
the sessions are ended (or were gone already), 400 with an OAuth error otherwise."""

from __future__ import annotations

import time

import jwt
import structlog
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from samverkan.directory import provider_sessions

from . import backend as oidc_backend
from . import discovery, enabled

log = structlog.get_logger(__name__)

EVENT = "http://schemas.openid.net/event/backchannel-logout"
# Without ``exp``, a token is accepted this long after its ``iat`` (seconds).
MAX_AGE_SECONDS = 300
MAX_TOKEN_LENGTH = 16_000


class Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def logout_claims(token: str) -> dict:
    """The logout token's claims once every check passes; ``Refused`` otherwise."""
    config = settings.SAMVERKAN_OIDC
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise Refused("no logout token")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise Refused("unreadable logout token") from exc
    alg = header.get("alg", "")
    if alg not in config["SIGN_ALGORITHMS"]:
        raise Refused(f"algorithm {alg!r} not allowed")
    try:
        key = oidc_backend.signing_key(token, alg)
        claims = jwt.decode(
            token,
            key,
            algorithms=[alg],
            audience=config["CLIENT_ID"],
            issuer=discovery.configuration()["issuer"],
            leeway=config["LEEWAY_SECONDS"],
            options={"require": ["iss", "aud", "iat", "jti"]},
        )
    except oidc_backend.LoginRefused as exc:
        raise Refused(exc.code) from exc
    except jwt.PyJWTError as exc:
        raise Refused(type(exc).__name__) from exc
    if "exp" not in claims and claims["iat"] < time.time() - MAX_AGE_SECONDS:
        raise Refused("logout token too old")
    events = claims.get("events")
    if not isinstance(events, dict) or not isinstance(events.get(EVENT), dict):
        raise Refused("not a back-channel logout event")
    if "nonce" in claims:
        raise Refused("a logout token carries no nonce")
    if not claims.get("sid") and not claims.get("sub"):
        raise Refused("neither sid nor sub")
    # Used once: a replayed token is refused (kept as long as it could be valid).
    if not cache.add(f"oidc-logout-jti:{claims['iss']}:{claims['jti']}", 1, timeout=3600):
        raise Refused("logout token used before")
    return claims


def _error(description: str) -> JsonResponse:
    return JsonResponse({"error": "invalid_request", "error_description": description}, status=400)


@csrf_exempt  # from the provider's server, not a browser: the signed token is the proof
@never_cache
@require_POST
def logout(request):
    if not enabled():
        raise Http404
    try:
        claims = logout_claims(request.POST.get("logout_token", ""))
    except Refused as refusal:
        log.warning("oidc_backchannel_logout_refused", reason=refusal.reason)
        return _error(refusal.reason)
    except discovery.DiscoveryError:
        log.warning("oidc_discovery_failed")
        return _error("provider keys unavailable")
    ended = provider_sessions.end_for_provider(
        issuer=claims["iss"].rstrip("/"),
        sid=str(claims.get("sid") or ""),
        subject=str(claims.get("sub") or ""),
    )
    log.info("oidc_backchannel_logout", sessions_ended=ended)
    return JsonResponse({"sessions_ended": ended})
