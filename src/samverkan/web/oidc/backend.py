"""The authentication backend for the OpenID Connect callback: mozilla-django-oidc's,
with the provider's endpoints from discovery, strict ID token checks and the staff
claim mapping. It never creates an account."""

from __future__ import annotations

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.utils.module_loading import import_string
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from . import discovery

# Why a login was refused: a code for the audit row and the log, and the text the
# person is shown (web/oidc/views.py). Never the claims themselves.
CANCELLED = "cancelled"
STATE = "state"
PROVIDER = "provider_error"
BAD_SIGNATURE = "bad_signature"
WRONG_AUDIENCE = "wrong_audience"
WRONG_ISSUER = "wrong_issuer"
EXPIRED = "expired"
WRONG_NONCE = "wrong_nonce"
# A reason code, not a secret.
INVALID_TOKEN = "invalid_token"  # noqa: S105  # nosec B105


class LoginRefused(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def oidc_setting(attr: str, *default):
    """mozilla-django-oidc's settings, answered from ``SAMVERKAN_OIDC`` and the
    provider's discovery document; anything else from the Django settings."""
    config = settings.SAMVERKAN_OIDC
    answers = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": lambda: discovery.configuration()[
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
    }
    if attr in answers:
        return answers[attr]()
    return import_from_settings(attr, *default)


def signing_key(token: str, alg: str, issuer: str | None = None):
    """The key of the provider ``issuer`` (by default the staff login's) that signed
    ``token`` (by its ``kid``), fetching the keys again once when none matches (the
    provider may have rotated them)."""
    kid = jwt.get_unverified_header(token).get("kid")
    for refresh in (False, True):
        for jwk in discovery.jwks(refresh=refresh, issuer=issuer).get("keys", []):
            if kid and jwk.get("kid") != kid:
                continue
            if jwk.get("use", "sig") != "sig" or jwk.get("alg", alg) != alg:
                continue
            return jwt.PyJWK(jwk, algorithm=alg)
    raise LoginRefused(BAD_SIGNATURE, "no key of the provider matches the token")


class StaffOIDCBackend(OIDCAuthenticationBackend):
    """The staff login's relying party. The family portal subclasses it with its own
    client configuration (``config``) and claim handling (decision 0200)."""

    get_settings = staticmethod(oidc_setting)
    # A logged-in session's user, as for a password login: an account deactivated since
    # the login (its last membership ended) is logged out at its next request.
    # mozilla-django-oidc's own get_user returns any user, active or not.
    get_user = ModelBackend.get_user

    @property
    def config(self) -> dict:
        return settings.SAMVERKAN_OIDC

    def _discovery(self) -> dict:
        return discovery.configuration(self.config["ISSUER"])

    def __init__(self, *args, **kwargs):
        # mozilla-django-oidc reads every endpoint here; Django makes a backend for each
        # password login and each request of a logged-in session, which must not need
        # the provider. The endpoints are read when a callback needs them (below).
        self.UserModel = get_user_model()

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):
        return self._discovery()["token_endpoint"]

    @property
    def OIDC_OP_USER_ENDPOINT(self):
        return self._discovery().get("userinfo_endpoint")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):
        return self._discovery()["jwks_uri"]

    @property
    def OIDC_RP_CLIENT_ID(self):
        return self.config["CLIENT_ID"]

    @property
    def OIDC_RP_CLIENT_SECRET(self):
        return self.config["CLIENT_SECRET"]

    # The callback --------------------------------------------------------------------

    def authenticate(self, request, **kwargs):
        """Only the OpenID Connect callback (a request with ``code`` and ``state``);
        ``None`` for anything else, e.g. a password login."""
        if request is None or "code_verifier" not in kwargs:
            return None
        self.claims = None
        try:
            return super().authenticate(request, **kwargs)
        except requests.HTTPError as exc:
            raise LoginRefused(PROVIDER, "token endpoint refused the code") from exc
        except requests.RequestException as exc:
            raise LoginRefused(PROVIDER, "provider did not answer") from exc
        except discovery.DiscoveryError as exc:
            raise LoginRefused(PROVIDER, str(exc)) from exc

    def store_tokens(self, access_token, id_token):
        # Only the ID token, for the logout request's id_token_hint.
        self.request.session["oidc_id_token"] = id_token

    def verify_token(self, token, **kwargs):
        """Check the ID token (OpenID Connect Core 3.1.3.7): a signature by one of the
        provider's keys with an allowed algorithm, the issuer, this client as the
        audience (and ``azp`` when there are several), ``exp`` and ``iat`` with the
        configured leeway, and the nonce of this login."""
        config = self.config
        if not token:
            raise LoginRefused(INVALID_TOKEN, "no ID token")
        try:
            alg = jwt.get_unverified_header(token).get("alg", "")
        except jwt.PyJWTError as exc:
            raise LoginRefused(INVALID_TOKEN, "unreadable ID token") from exc
        if alg not in config["SIGN_ALGORITHMS"]:
            raise LoginRefused(BAD_SIGNATURE, f"algorithm {alg!r} not allowed")
        key = signing_key(token, alg, self.config["ISSUER"])
        try:
            payload = jwt.decode(
                token,
                key,
                algorithms=[alg],
                audience=config["CLIENT_ID"],
                issuer=self._discovery()["issuer"],
                leeway=config["LEEWAY_SECONDS"],
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise LoginRefused(EXPIRED) from exc
        except jwt.InvalidAudienceError as exc:
            raise LoginRefused(WRONG_AUDIENCE) from exc
        except jwt.InvalidIssuerError as exc:
            raise LoginRefused(WRONG_ISSUER) from exc
        except (jwt.InvalidSignatureError, jwt.DecodeError) as exc:
            raise LoginRefused(BAD_SIGNATURE) from exc
        except jwt.PyJWTError as exc:
            raise LoginRefused(INVALID_TOKEN, type(exc).__name__) from exc
        audiences = payload["aud"] if isinstance(payload["aud"], list) else [payload["aud"]]
        if len(audiences) > 1 and payload.get("azp") != config["CLIENT_ID"]:
            raise LoginRefused(WRONG_AUDIENCE, "azp is not this client")
        if payload.get("nonce") != kwargs.get("nonce"):
            raise LoginRefused(WRONG_NONCE)
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, completed from the userinfo endpoint when the
        provider has one (its ``sub`` must be the ID token's)."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT and access_token:
            info = super().get_userinfo(access_token, id_token, payload)
            if info.get("sub") != payload.get("sub"):
                raise LoginRefused(INVALID_TOKEN, "userinfo is about someone else")
            for name, value in info.items():
                claims.setdefault(name, value)
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        self.claims = claims
        mapper = import_string(settings.SAMVERKAN_OIDC["CLAIM_MAPPER"])
        match = mapper(claims)
        self.match = match
        if match.user is None:
            raise LoginRefused(match.reason or "unknown")
        return match.user
