"""Login with e-legitimation over OpenID Connect (decision 0120).

mozilla-django-oidc does the protocol (authorisation code flow with PKCE, state, nonce,
the token request, the ID token's signature); this package adds what a Swedish public
sector login needs: the provider's endpoints from its discovery document, strict checks
of the ID token's issuer, audience, times and ``azp``, the level of assurance (``acr``),
claims mapped to a staff account an administrator created (never a new account),
refusals explained in Swedish and audited, and single logout (RP-initiated and
back-channel)."""

from django.conf import settings


def enabled() -> bool:
    config = settings.SAMVERKAN_OIDC
    return bool(config["ISSUER"] and config["CLIENT_ID"])
