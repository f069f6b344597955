"""The e-legitimation login's pages: start (to the provider), callback (back from it),
and the refusals, each explained in Swedish and written to the audit log."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import structlog
from django.conf import settings
from django.contrib import auth
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from samverkan.audit import services as audit
from samverkan.audit.models import Action, Outcome
from samverkan.core import request_context
from samverkan.directory import assurance, provider_sessions
from samverkan.directory import selectors as directory

from .. import twofactor
from . import backend as oidc_backend
from . import discovery, enabled

log = structlog.get_logger(__name__)

BACKEND_PATH = "samverkan.web.oidc.backend.StaffOIDCBackend"


def refusal_message(code: str) -> str:
    messages = {
        "unknown": _(
            "Du är inte upplagd i Samverkan. Din e-legitimation fungerade, men det finns "
            "inget personalkonto kopplat till den. Kontakta din lokala administratör, som "
            "kan lägga upp dig."
        ),
        "inactive": _("Ditt konto i Samverkan är avslutat. Kontakta din lokala administratör."),
        "ambiguous": _(
            "Din e-legitimation pekar på mer än ett personalkonto i Samverkan. Kontakta din "
            "lokala administratör, som behöver rätta uppgifterna."
        ),
        oidc_backend.CANCELLED: _("Inloggningen avbröts. Försök igen."),
        oidc_backend.STATE: _(
            "Inloggningen gick ut eller startades i ett annat fönster. Försök igen."
        ),
        oidc_backend.PROVIDER: _(
            "Tjänsten för e-legitimation svarar inte just nu. Försök igen om en stund. Om "
            "felet kvarstår, kontakta IT-supporten."
        ),
    }
    return messages.get(
        code,
        _(
            "Inloggningen kunde inte slutföras: svaret från tjänsten för e-legitimation "
            "gick inte att lita på. Försök igen. Om felet kvarstår, kontakta IT-supporten."
        ),
    )


class StartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider with state, nonce and a PKCE challenge (kept
    in the session by mozilla-django-oidc)."""

    get_settings = staticmethod(oidc_backend.oidc_setting)

    def __init__(self, *args, **kwargs):
        # The endpoint is read in get(), so that a provider that is down gives a page,
        # not an error.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except discovery.DiscoveryError:
            log.warning("oidc_discovery_failed")
            return _refused(request, oidc_backend.LoginRefused(oidc_backend.PROVIDER))
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


start = never_cache(StartView.as_view())


def _refused(request, refusal: oidc_backend.LoginRefused, *, details: dict | None = None):
    audit.event_record(
        actor=None,
        action=Action.LOGIN_FAILED,
        resource_type="auth.session",
        outcome=Outcome.DENIED,
        reason=refusal.code,
        details={"method": assurance.OIDC, "reason": refusal.code, **(details or {})},
    )
    log.info("oidc_login_refused", reason=refusal.code, detail=refusal.detail)
    from ..views import LoginForm, login_page_context  # the login page, with the refusal

    return render(
        request,
        "web/login.html",
        {
            "form": LoginForm(request),
            "oidc_error": refusal_message(refusal.code),
            **login_page_context(),
        },
        status=403,
    )


def _identifiers(claims: dict | None) -> dict:
    """What the audit row may say about whom the provider vouched for: its subject
    identifier, never the personnummer."""
    if not claims:
        return {}
    return {"issuer": claims.get("iss", ""), "subject": str(claims.get("sub", ""))[:100]}


@never_cache
@require_GET
def callback(request):
    if not enabled():
        raise Http404
    states = request.session.get("oidc_states") or {}
    state = request.GET.get("state", "")
    entry = states.pop(state, None) if state else None
    if entry is not None:
        # Used once: a replayed callback finds nothing.
        request.session["oidc_states"] = states
        request.session.save()
    if request.GET.get("error"):
        return _refused(request, oidc_backend.LoginRefused(oidc_backend.CANCELLED))
    if entry is None or "code" not in request.GET:
        return _refused(request, oidc_backend.LoginRefused(oidc_backend.STATE))
    backend = oidc_backend.StaffOIDCBackend()
    try:
        user = backend.authenticate(
            request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
        )
    except oidc_backend.LoginRefused as refusal:
        return _refused(request, refusal, details=_identifiers(getattr(backend, "claims", None)))
    if user is None:
        return _refused(request, oidc_backend.LoginRefused(oidc_backend.INVALID_TOKEN))
    return _logged_in(request, user, backend)


@transaction.atomic
def _logged_in(request, user, backend):
    claims = backend.claims or {}
    acr = str(claims.get("acr", ""))[:200]
    level = assurance.level_of(acr)
    next_url = request.session.get("oidc_login_next") or reverse(settings.LOGIN_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token", "")
    auth.login(request, user, backend=BACKEND_PATH)
    record = {
        "method": assurance.OIDC,
        "acr": acr,
        "level": level,
        "sid": str(claims.get("sid", ""))[:200],
        "sub": str(claims.get("sub", ""))[:200],
        "login_at": time.time(),
    }
    request.session[assurance.SESSION_KEY] = record
    request.session["oidc_id_token"] = id_token
    # So that the provider can end this session too (back-channel logout).
    provider_sessions.remember(
        session_key=request.session.session_key,
        user_id=user.pk,
        issuer=str(claims.get("iss", "")).rstrip("/"),
        sid=record["sid"],
        subject=record["sub"],
    )
    # E-legitimation is itself a two-factor login: no TOTP on top of it.
    request.session[twofactor.SESSION_STATE] = twofactor.NOT_REQUIRED
    request_context.update(assurance_level=assurance.label(record))
    actor = directory.actor_for_user(user)
    audit.event_record(
        actor=actor,
        action=Action.LOGIN,
        resource_type="auth.session",
        details={
            "method": assurance.OIDC,
            "acr": acr,
            "level": level,
            "matched_on": getattr(backend.match, "matched_on", ""),
            **_identifiers(claims),
        },
    )
    if not assurance.sufficient(record):
        log.info("oidc_login_low_assurance", level=level)
    return HttpResponseRedirect(next_url)


def logout_redirect(request, id_token: str) -> str | None:
    """Where to send the browser after logging out of Samverkan, so that the provider's
    session ends too (RP-initiated logout): its end_session_endpoint, or None."""
    if not enabled():
        return None
    try:
        endpoint = discovery.configuration().get("end_session_endpoint")
    except discovery.DiscoveryError:
        return None
    if not endpoint:
        return None
    params = {
        "client_id": settings.SAMVERKAN_OIDC["CLIENT_ID"],
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("web:login")),
    }
    if id_token:
        params["id_token_hint"] = id_token
    return f"{endpoint}?{urlencode(params)}"
