"""How a session was authenticated, and whether that is enough to read personal data.

The login (``web``) stores a small record in the session under ``SESSION_KEY``:
``{"method": "oidc", "acr": "<the provider's acr>", "level": 3}`` after an
e-legitimation login, ``{"method": "password"}`` after a password login. The actor
carries the label and the verdict; the access app refuses personal data when the verdict
is no (``access.policy.INSUFFICIENT_ASSURANCE``)."""

from __future__ import annotations

import re

from django.conf import settings

SESSION_KEY = "samverkan_auth"
OIDC = "oidc"
# A method name, not a secret.
PASSWORD = "password"  # noqa: S105  # nosec B105

_LOA_SUFFIX = re.compile(r"loa[-_ ]?(\d)\s*$", re.IGNORECASE)


def level_of(acr: str) -> int | None:
    """The numeric level of assurance (1-4) of an ``acr`` value: from the configured
    table (``SAMVERKAN_OIDC["ACR_LEVELS"]``) or, failing that, a trailing "loa3"."""
    if not acr:
        return None
    table = settings.SAMVERKAN_OIDC.get("ACR_LEVELS", {})
    if acr in table:
        return int(table[acr])
    match = _LOA_SUFFIX.search(acr)
    return int(match.group(1)) if match else None


def label(record: dict | None, *, verified_second_factor: bool = False) -> str:
    """The short text stored on audit rows: "loa3", "loa2", "password+totp", ..."""
    if not record:
        return ""
    if record.get("method") == OIDC:
        level = record.get("level")
        return f"loa{level}" if level else "oidc"
    if record.get("method") == PASSWORD:
        return "password+totp" if verified_second_factor else "password"
    return ""


def sufficient(record: dict | None) -> bool:
    """Whether the session may read personal data. An e-legitimation login must reach
    ``SAMVERKAN["REQUIRED_ASSURANCE_LEVEL"]``; a password login is the organisation's
    own choice (with two-factor login where required) and is judged by that."""
    if not record or record.get("method") != OIDC:
        return True
    required = settings.SAMVERKAN["REQUIRED_ASSURANCE_LEVEL"]
    level = record.get("level")
    return level is not None and level >= required
