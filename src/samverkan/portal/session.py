"""The portal's own session (decision 0200): a family login replaces whatever session
the browser had (a staff login ends), keeps its record under ``SESSION_KEY`` and never
sets a Django user, so no staff page opens for it. It ends
``SAMVERKAN_PORTAL["SESSION_MAX_SECONDS"]`` after the login or after
``SESSION_IDLE_SECONDS`` without a request. Every portal page is counted against the
portal's own rate limits, per family member and per client address."""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.access.actor import Actor
from samverkan.core import limits, request_context
from samverkan.directory import assurance
from samverkan.people import eidas as people_eidas

from .models import FamilyAccount

SESSION_KEY = "samverkan_portal"
FUNCTION_NAME = "Familj (e-tjänsten)"


def record(request) -> dict | None:
    """The portal record of this session, or None (not logged in, ended, or a staff
    session)."""
    if request.user.is_authenticated:
        return None
    entry = request.session.get(SESSION_KEY)
    if not entry:
        return None
    conf = settings.SAMVERKAN_PORTAL
    now = time.time()
    if (
        now - entry.get("login_at", 0) > conf["SESSION_MAX_SECONDS"]
        or now - entry.get("seen_at", 0) > conf["SESSION_IDLE_SECONDS"]
    ):
        request.session.flush()
        return None
    return entry


def actor_for(entry: dict, account: FamilyAccount) -> Actor:
    level = entry.get("level")
    return Actor(
        user_id=None,
        username=f"familj-{str(account.public_id)[:8]}",
        display_name=entry.get("name") or account.display_name,
        function_name=FUNCTION_NAME,
        assurance_level=f"loa{level}" if level else "oidc",
        assurance_sufficient=assurance.sufficient({"method": assurance.OIDC, "level": level}),
        family_id=account.pk,
        family_personal_number=account.personal_number,
        # Asked again on every page: a link staff end takes effect at once.
        family_guardian_ids=people_eidas.linked_guardian_ids(
            account.eidas_issuer, account.eidas_identifier
        ),
    )


def _limited(verdict: limits.Verdict) -> HttpResponse:
    response = HttpResponse(
        _("För många förfrågningar. Vänta en stund och försök igen."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(verdict.retry_after)
    return response


def family_view(view):
    """A portal page: the logged-in family member as ``request.family_actor`` (and as
    ``request.actor``, so the audit rows and the templates see them), or the portal's
    login page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        verdict = limits.hit(request, limits.PORTAL_IP)
        if verdict.limited:
            return _limited(verdict)
        entry = record(request)
        account = (
            FamilyAccount.objects.filter(pk=entry.get("account_id")).first() if entry else None
        )
        if account is None:
            return HttpResponseRedirect(
                f"{reverse('portal:login')}?next={request.get_full_path()}"
                if request.method == "GET"
                else reverse("portal:login")
            )
        verdict = limits.hit(request, limits.PORTAL_SESSION, key=lambda g, r: str(account.pk))
        if verdict.limited:
            return _limited(verdict)
        entry["seen_at"] = time.time()
        request.session[SESSION_KEY] = entry
        actor = actor_for(entry, account)
        request_context.update(assurance_level=actor.assurance_level)
        request.actor = actor
        request.family_actor = actor
        request.family_record = entry
        return view(request, *args, **kwargs)

    return wrapper


def fresh(entry: dict) -> bool:
    """Whether the e-legitimation of this session is recent enough to sign with."""
    return time.time() - entry.get("login_at", 0) <= settings.SAMVERKAN_PORTAL["SIGN_FRESH_SECONDS"]
