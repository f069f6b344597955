"""The family portal's login (decision 0200): the staff login's OpenID Connect relying
party (web/oidc, decision 0120) with the portal's own client (``SAMVERKAN_PORTAL_OIDC``:
its own client id, secret, redirect URI and scopes) and its own ending: the provider's
personnummer claim identifies a family member, who never becomes a staff account.
The same strict checks of the ID token apply (signature, issuer, audience, times,
nonce, PKCE, state used once).

A foreign eID through eIDAS (decision 0310) arrives without a personnummer: the
number the eIDAS node bound to the person (``CLAIM_MAPPED_PERSONNUMMER``) is used when
there is one; otherwise the identity is the provider's eIDAS identifier
(``CLAIM_EIDAS_IDENTIFIER``, Sweden Connect's prid), which logs in only where staff
linked it to a guardian record (``people.GuardianEidasLink``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from mozilla_django_oidc.utils import import_from_settings

from samverkan.core.errors import ValidationFailed
from samverkan.people import identity as numbers
from samverkan.web.oidc import backend as staff

NO_PERSONNUMMER = "no_personnummer"


def enabled() -> bool:
    config = settings.SAMVERKAN_PORTAL_OIDC
    return bool(config["ISSUER"] and config["CLIENT_ID"])


def portal_setting(attr: str, *default):
    """mozilla-django-oidc's settings for the portal's client."""
    from samverkan.web.oidc import discovery

    config = settings.SAMVERKAN_PORTAL_OIDC
    answers = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": lambda: discovery.configuration(config["ISSUER"])[
            "authorization_endpoint"
        ],
        "OIDC_RP_CLIENT_ID": lambda: config["CLIENT_ID"],
        "OIDC_RP_CLIENT_SECRET": lambda: config["CLIENT_SECRET"],
        "OIDC_RP_SCOPES": lambda: config["SCOPES"],
        "OIDC_TIMEOUT": lambda: config["TIMEOUT_SECONDS"],
        "OIDC_TOKEN_USE_BASIC_AUTH": lambda: config.get("TOKEN_AUTH_METHOD") == "basic",
        "OIDC_AUTH_REQUEST_EXTRA_PARAMS": lambda: (
            {"acr_values": config["ACR_VALUES"]} if config["ACR_VALUES"] else {}
        ),
        "OIDC_AUTHENTICATION_CALLBACK_URL": lambda: "portal:oidc_callback",
    }
    if attr in answers:
        return answers[attr]()
    return import_from_settings(attr, *default)


@dataclass(frozen=True)
class FamilyIdentity:
    personal_number: str
    name: str
    transaction_id: str
    # A foreign eID through eIDAS: the provider, the person's eIDAS identifier and
    # country; ``personal_number`` is then the number the node bound to them, or "".
    eidas_issuer: str = ""
    eidas_identifier: str = ""
    eidas_country: str = ""

    @property
    def is_eidas(self) -> bool:
        return bool(self.eidas_identifier)


def _claim(claims: dict, name: str, limit: int) -> str:
    return str(claims.get(name) or "").strip()[:limit] if name else ""


def eidas_of(claims: dict, config: dict) -> tuple[str, str]:
    """(identifier, country) of a foreign eID, or ("", "") for a Swedish one."""
    identifier = _claim(claims, config.get("CLAIM_EIDAS_IDENTIFIER", ""), 200) or _claim(
        claims, config.get("CLAIM_EIDAS_PERSON_IDENTIFIER", ""), 200
    )
    if not identifier:
        return "", ""
    country = _claim(claims, config.get("CLAIM_COUNTRY", ""), 2).upper()
    if not country:
        # "DE:abc" (prid) and "DE/SE/abc" (eIDAS) both begin with the country.
        country = identifier[:2].upper() if identifier[:2].isalpha() else ""
    return identifier, country


def transaction_of(claims: dict, id_token: str) -> str:
    """The provider's transaction behind this identification: the ID token's ``jti``
    when it has one, else a digest of the token itself (unique per issuance)."""
    jti = str(claims.get("jti", ""))[:100]
    return jti or hashlib.sha256(id_token.encode()).hexdigest()[:64]


class FamilyOIDCBackend(staff.StaffOIDCBackend):
    get_settings = staticmethod(portal_setting)

    @property
    def config(self) -> dict:
        return settings.SAMVERKAN_PORTAL_OIDC

    def store_tokens(self, access_token, id_token):
        self.id_token = id_token

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        self.claims = claims
        config = self.config
        identifier, country = eidas_of(claims, config)
        raw = str(claims.get(config["CLAIM_PERSONNUMMER"], "")) or (
            str(claims.get(config.get("CLAIM_MAPPED_PERSONNUMMER", ""), "")) if identifier else ""
        )
        number = ""
        if raw or not identifier:
            try:
                number = numbers.parse(raw).number
            except ValidationFailed as exc:
                # The claim names only: the value may be a personnummer.
                raise staff.LoginRefused(NO_PERSONNUMMER, f"claims: {sorted(claims)}") from exc
        name = str(
            claims.get("name")
            or " ".join(p for p in (claims.get("given_name"), claims.get("family_name")) if p)
        )[:200]
        return FamilyIdentity(
            number,
            name,
            transaction_of(claims, id_token or ""),
            eidas_issuer=config["ISSUER"] if identifier else "",
            eidas_identifier=identifier,
            eidas_country=country,
        )
