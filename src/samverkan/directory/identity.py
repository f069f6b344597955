"""Staff identities: the personnummer and HSA-id by which an e-legitimation login finds
the staff account an administrator created, and the default claim mapping for the
OpenID Connect login (``SAMVERKAN_OIDC["CLAIM_MAPPER"]``).

A mapping is a function ``claims -> ClaimMatch``. Another client of the same mechanism
(the family portal) names another function; nothing else changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError
from stdnum.se import personnummer as stdnum_personnummer

from samverkan.core.errors import ValidationFailed

from .models import StaffIdentity

UNKNOWN = "unknown"
INACTIVE = "inactive"
AMBIGUOUS = "ambiguous"


def normalise_personnummer(raw: str | None, *, field: str = "personnummer") -> str:
    """Twelve digits (ÅÅÅÅMMDDNNNN) from any usual way of writing a personnummer or
    samordningsnummer; ``ValidationFailed`` (Swedish) if it is not a valid one."""
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        compact = stdnum_personnummer.validate(text)
        birth = stdnum_personnummer.get_birth_date(compact)
    except ValidationError as exc:
        raise ValidationFailed(
            _("Personnumret är inte giltigt. Skriv det som ÅÅÅÅMMDD-NNNN."), field=field
        ) from exc
    digits = compact.replace("-", "").replace("+", "")
    if len(digits) == 10:
        digits = f"{birth.year // 100}{digits}"
    return digits


def normalise_hsa_id(raw: str | None, *, field: str = "hsa_id") -> str:
    """An HSA-id as registered (e.g. SE2321000016-1234): trimmed, upper case."""
    text = (raw or "").strip().upper()
    if text and (len(text) > 64 or not text.replace("-", "").isalnum()):
        raise ValidationFailed(
            _("HSA-id ska bestå av bokstäver, siffror och bindestreck, t.ex. SE2321000016-1234."),
            field=field,
        )
    return text


@dataclass(frozen=True)
class ClaimMatch:
    user: object | None
    reason: str = ""  # UNKNOWN, INACTIVE or AMBIGUOUS when no user
    matched_on: str = ""  # "personnummer", "hsa_id" or "email"


def _claim(claims: Mapping, name: str) -> str:
    value = claims.get(name) if name else None
    return value.strip() if isinstance(value, str) else ""


def staff_for_claims(claims: Mapping) -> ClaimMatch:
    """The staff account the provider's claims identify: by personnummer, then HSA-id,
    then (only with ``SAMVERKAN_OIDC["MATCH_EMAIL"]``) a verified e-mail address. Claims
    that point at two different accounts are refused, as is a deactivated account."""
    config = settings.SAMVERKAN_OIDC
    found: dict[str, object] = {}
    try:
        number = normalise_personnummer(_claim(claims, config["CLAIM_PERSONNUMMER"]))
    except ValidationFailed:
        number = ""
    if number:
        identity = StaffIdentity.objects.select_related("user").filter(personnummer=number)
        if (row := identity.first()) is not None:
            found["personnummer"] = row.user
    try:
        hsa_id = normalise_hsa_id(_claim(claims, config["CLAIM_HSA_ID"]))
    except ValidationFailed:
        hsa_id = ""
    if hsa_id:
        identity = StaffIdentity.objects.select_related("user").filter(hsa_id=hsa_id)
        if (row := identity.first()) is not None:
            found["hsa_id"] = row.user
    email = _claim(claims, "email")
    if config["MATCH_EMAIL"] and email and claims.get("email_verified") is True:
        users = list(get_user_model().objects.filter(email__iexact=email)[:2])
        if len(users) == 1:
            found["email"] = users[0]
    if not found:
        return ClaimMatch(None, UNKNOWN)
    if len({user.pk for user in found.values()}) > 1:
        return ClaimMatch(None, AMBIGUOUS)
    matched_on, user = next(iter(found.items()))
    if not user.is_active:
        return ClaimMatch(None, INACTIVE, matched_on)
    return ClaimMatch(user, "", matched_on)
