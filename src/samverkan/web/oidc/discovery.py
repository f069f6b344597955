"""The provider's discovery document (``/.well-known/openid-configuration``): its
endpoints and keys, fetched when first needed and kept for
``SAMVERKAN_OIDC["DISCOVERY_CACHE_SECONDS"]`` in the process."""

from __future__ import annotations

import threading
import time

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_lock = threading.Lock()
_cache: dict[str, tuple[float, dict]] = {}

REQUIRED = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")


class DiscoveryError(Exception):
    """The provider's discovery document could not be fetched or is not valid."""


def _fetch_json(url: str) -> dict:
    try:
        timeout = settings.SAMVERKAN_OIDC["TIMEOUT_SECONDS"]
        response = requests.get(url, timeout=timeout)  # nosec B113
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as exc:
        raise DiscoveryError(f"could not fetch {url}: {exc}") from exc


def _cached(key: str, loader) -> dict:
    ttl = settings.SAMVERKAN_OIDC["DISCOVERY_CACHE_SECONDS"]
    now = time.monotonic()
    with _lock:
        hit = _cache.get(key)
        if hit and now - hit[0] < ttl:
            return hit[1]
    value = loader()
    with _lock:
        _cache[key] = (now, value)
    return value


def configuration(issuer: str | None = None) -> dict:
    """The discovery document of ``issuer`` (by default the staff login's; the family
    portal names its own client's issuer, decision 0200)."""
    issuer = (issuer if issuer is not None else settings.SAMVERKAN_OIDC["ISSUER"]).rstrip("/")
    if not issuer:
        raise ImproperlyConfigured("SAMVERKAN_OIDC_ISSUER is not set.")

    def load() -> dict:
        document = _fetch_json(f"{issuer}/.well-known/openid-configuration")
        missing = [name for name in REQUIRED if not document.get(name)]
        if missing:
            raise DiscoveryError(f"discovery document lacks {', '.join(missing)}")
        # OpenID Connect Discovery 1.0, 4.3: the issuer must be the one asked for.
        if document["issuer"].rstrip("/") != issuer:
            raise DiscoveryError(
                f"discovery document names issuer {document['issuer']!r}, expected {issuer!r}"
            )
        return document

    return _cached(f"configuration:{issuer}", load)


def jwks(*, refresh: bool = False, issuer: str | None = None) -> dict:
    url = configuration(issuer)["jwks_uri"]
    if refresh:
        with _lock:
            _cache.pop(f"jwks:{url}", None)
    return _cached(f"jwks:{url}", lambda: _fetch_json(url))


def clear() -> None:
    """Forget what was fetched (tests, and a provider that rotated its keys)."""
    with _lock:
        _cache.clear()
