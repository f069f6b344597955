"""The second-factor gate and the response headers that are not Django's own."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from samverkan.directory import assurance

from . import twofactor


class SecondFactorMiddleware:
    """Keeps a session that is logged in with its password but has not passed its
    second factor away from every page and the API: it is sent to the code page (or to
    the enrolment page, when it must enrol first). Only the login, second-factor and
    logout pages, static files, the health check, the language switch and the
    accessibility statement stay open. Bearer-token API calls do not use the session and
    are not affected. Must come after django-otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def open_prefixes(self) -> tuple[str, ...]:
        return (
            reverse("web:login"),  # also the code page under it
            reverse("web:otp_enrol"),
            reverse("web:logout"),
            reverse("web:accessibility"),
            reverse("healthz"),
            reverse("set_language"),
            settings.STATIC_URL,
        )

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.open_prefixes)
            and not twofactor.is_done(request)
        ):
            if request.path.startswith("/api/"):
                if "Authorization" not in request.headers:
                    return JsonResponse(
                        {
                            "detail": _("Tvåstegsverifiering krävs. Logga in igen."),
                            "code": "second_factor_required",
                        },
                        status=401,
                    )
            else:
                return self._to_second_factor(request)
        return self.get_response(request)

    def _to_second_factor(self, request):
        name = (
            "web:otp_enrol"
            if twofactor.session_state(request) == twofactor.ENROL
            else "web:otp_verify"
        )
        url = reverse(name)
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            # An htmx fragment request: have htmx load the whole page instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: pages for a logged-in user hold personal
    data and must not be stored by the browser or any cache on the way
    (``Cache-Control: no-store``), and nothing of ours may be embedded by another site
    (``Cross-Origin-Resource-Policy``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class SessionLifetimeMiddleware:
    """Ends a session ``SESSION_MAX_SECONDS`` after its login, however active it was
    (the idle limit is ``SESSION_COOKIE_AGE``), and has the idle expiry written when it
    lags (web.sessions). The login time is kept with the session's assurance record
    (directory.assurance). Must come after authentication and sessions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            record = request.session.get(assurance.SESSION_KEY) or {}
            login_at = record.get("login_at")
            if login_at is not None and time.time() - login_at > settings.SESSION_MAX_SECONDS:
                logout(request)
                messages.info(
                    request,
                    _(
                        "Din inloggning har gått ut efter den längsta tillåtna tiden. "
                        "Logga in igen."
                    ),
                )
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = reverse("web:login")
                    return response
                return HttpResponseRedirect(
                    f"{reverse('web:login')}?{urlencode({'next': request.get_full_path()})}"
                )
        response = self.get_response(request)
        # The idle expiry moves forward when it lags (web.sessions): the session is then
        # written once, by Django's SessionMiddleware, on the way out.
        session = getattr(request, "session", None)
        needs_refresh = getattr(session, "needs_refresh", None)
        if needs_refresh is not None and not session.is_empty() and needs_refresh():
            session.modified = True
        return response
