"""Login (password, then the second factor), role choice, the start page and the
accessibility statement."""

import time
from urllib.parse import urlencode

from axes.helpers import get_cool_off
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from samverkan.audit import services as audit
from samverkan.audit.models import Action, Outcome
from samverkan.core import bounds, limits, request_context
from samverkan.directory import assurance, provider_sessions
from samverkan.directory import selectors as directory
from samverkan.directory.middleware import SESSION_KEY

from . import oidc, twofactor
from .oidc import views as oidc_views


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": gettext_lazy(
            "Fel användarnamn eller lösenord. Kontrollera och försök igen."
        ),
        "inactive": gettext_lazy("Kontot är spärrat. Kontakta din administratör."),
        "password_login_off": (  # nosec B105
            gettext_lazy(
                "Din verksamhet loggar in med e-legitimation, inte med lösenord. Använd knappen "
                "för e-legitimation."
            )
        ),
    }

    # Both bounded before anything sees them: a 1 MB password costs the hasher seconds,
    # and django-axes stores the attempted user name in a 255-character column.
    # (AuthenticationForm only sets the user name's maxlength attribute, no validator.)
    username = UsernameField(
        label=AuthenticationForm.base_fields["username"].label,
        max_length=bounds.TEXT_USERNAME,
        widget=forms.TextInput(attrs={"autofocus": True}),
    )
    password = forms.CharField(
        label=AuthenticationForm.base_fields["password"].label,
        strip=False,
        max_length=bounds.TEXT_NAME,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # Password login is an organisation's choice (docs/operations.md).
        if not directory.password_login_allowed(user.pk):
            raise forms.ValidationError(
                self.error_messages["password_login_off"], code="password_login_off"
            )


# The default label (config/settings/base.py), in the catalogue so that it is shown in
# the reader's language; a label the municipality configures is shown as written.
gettext_noop("Logga in med e-legitimation")


def login_page_context() -> dict:
    return {
        "oidc_enabled": oidc.enabled(),
        "oidc_label": _(settings.SAMVERKAN_OIDC["BUTTON_LABEL"]),
        "password_login_offered": directory.password_login_offered(),
    }


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(login_page_context())
        if settings.SAMVERKAN["SHOW_DEMO_USERS"]:
            context["demo_users"] = directory.demo_user_rows()
            context["demo_password"] = settings.SAMVERKAN.get("DEMO_PASSWORD", "")
        return context

    def post(self, request, *args, **kwargs):
        # Password spraying: too many failed logins from one address, whatever the
        # usernames, stop every password login from it for a while, the right password
        # too (decision 0170). The lockout per username (django-axes) stays.
        verdict = limits.peek(request, limits.LOGIN_FAILURES_IP)
        if verdict.limited:
            audit.event_record(
                actor=None,
                action=Action.LOGIN_FAILED,
                resource_type="auth.session",
                outcome=Outcome.DENIED,
                details={
                    "username": (request.POST.get("username") or "")[:150],
                    "refused": "address",
                },
            )
            return address_limited(request, verdict)
        return super().post(request, *args, **kwargs)

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        record = {"method": assurance.PASSWORD, "login_at": time.time()}
        self.request.session[assurance.SESSION_KEY] = record
        request_context.update(assurance_level=assurance.label(record))
        actor = directory.actor_for_user(self.request.user)
        audit.event_record(
            actor=actor,
            action=Action.LOGIN,
            resource_type="auth.session",
            details={"method": assurance.PASSWORD},
        )
        # The password was right; the second factor (if any) comes next. Its state was
        # recorded when the session logged in (twofactor.record_state_at_login).
        state = twofactor.session_state(self.request)
        if state == twofactor.NOT_REQUIRED:
            return response
        name = "web:otp_enrol" if state == twofactor.ENROL else "web:otp_verify"
        return HttpResponseRedirect(
            f"{reverse(name)}?{urlencode({'next': self.get_success_url()})}"
        )

    def form_invalid(self, form):
        # Also for a locked-out username: django-axes refuses it before the password is
        # checked, and AxesMiddleware then answers with locked_out() below.
        audit.event_record(
            actor=None,
            action=Action.LOGIN_FAILED,
            resource_type="auth.session",
            outcome=Outcome.DENIED,
            details={"username": (form.data.get("username") or "")[: bounds.TEXT_USERNAME]},
        )
        limits.hit(self.request, limits.LOGIN_FAILURES_IP)
        return super().form_invalid(form)


def address_limited(request, verdict: limits.Verdict):
    """Too many failed logins from the client's address (any usernames): the login page
    with a plain message, 429 and Retry-After."""
    minutes = max(1, -(-verdict.retry_after // 60))
    message = ngettext(
        "För många misslyckade inloggningar från din adress. Inloggning med lösenord "
        "härifrån är stoppad i %(minutes)d minut. Försök igen senare, eller kontakta din "
        "administratör.",
        "För många misslyckade inloggningar från din adress. Inloggning med lösenord "
        "härifrån är stoppad i %(minutes)d minuter. Försök igen senare, eller kontakta din "
        "administratör.",
        minutes,
    ) % {"minutes": minutes}
    form = LoginForm(request, initial={"username": request.POST.get("username", "")[:150]})
    response = render(
        request,
        "web/login.html",
        {
            "form": form,
            "locked_out": message,
            "next": request.POST.get("next", ""),
            **login_page_context(),
        },
        status=429,
    )
    return limits.retry_after(response, verdict)


def locked_out(request, response=None, credentials=None):
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): the login page again, with
    a plain message, and status 429. The form is unbound, so that showing it does not
    try to authenticate again."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        message = _(
            "För många misslyckade inloggningar. Inloggningen med det här användarnamnet "
            "är spärrad. Kontakta din administratör."
        )
    else:
        minutes = max(1, int(cool_off.total_seconds() // 60))
        message = ngettext(
            "För många misslyckade inloggningar. Inloggningen med det här användarnamnet "
            "är spärrad i %(minutes)d minut. Försök igen senare, eller kontakta din "
            "administratör om du behöver komma in nu.",
            "För många misslyckade inloggningar. Inloggningen med det här användarnamnet "
            "är spärrad i %(minutes)d minuter. Försök igen senare, eller kontakta din "
            "administratör om du behöver komma in nu.",
            minutes,
        ) % {"minutes": minutes}
    form = LoginForm(request, initial={"username": request.POST.get("username", "")[:150]})
    return render(
        request,
        "web/login.html",
        {
            "form": form,
            "locked_out": message,
            "next": request.POST.get("next", ""),
            **login_page_context(),
        },
        status=429,
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kod från autentiseringsappen"),
        help_text=gettext_lazy("Sex siffror. Koden byts var 30:e sekund."),
        max_length=bounds.ONE_TIME_CODE,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
                "aria-describedby": "id_code-hint",
            }
        ),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _code_error(form, result) -> None:
    if result.wait_seconds:
        form.add_error(
            "code",
            ngettext(
                "För många felaktiga koder. Vänta %(seconds)d sekund och försök igen.",
                "För många felaktiga koder. Vänta %(seconds)d sekunder och försök igen.",
                result.wait_seconds,
            )
            % {"seconds": result.wait_seconds},
        )
    else:
        form.add_error(
            "code", _("Koden stämmer inte. Skriv koden som appen visar just nu och försök igen.")
        )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of the login: the code from the user's authenticator app."""
    if twofactor.is_done(request):
        return HttpResponseRedirect(_next_url(request))
    if twofactor.confirmed_device(request.user) is None:
        # Nothing to verify against (e.g. the device was reset): enrol, or go on.
        state = twofactor.state_for(request.user)
        request.session[twofactor.SESSION_STATE] = state
        if state == twofactor.ENROL:
            return HttpResponseRedirect(
                f"{reverse('web:otp_enrol')}?{urlencode({'next': _next_url(request)})}"
            )
        return HttpResponseRedirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = twofactor.code_verify(request=request, code=form.cleaned_data["code"])
        if result.ok:
            return HttpResponseRedirect(_next_url(request))
        _code_error(form, result)
    return render(
        request,
        "web/otp_verify.html",
        {"form": form, "next": _next_url(request), "actor": None},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    """Enrolment of an authenticator app: a QR code and the secret in text, then one
    code from the app to confirm. Only for a user who has no confirmed app yet."""
    if request.user.is_verified() or twofactor.confirmed_device(request.user) is not None:
        return HttpResponseRedirect(_next_url(request))
    device = twofactor.enrolment_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = twofactor.enrolment_confirm(
            request=request, device=device, code=form.cleaned_data["code"]
        )
        if result.ok:
            messages.success(
                request,
                _(
                    "Tvåstegsverifiering är aktiverad. Nästa gång du loggar in frågar vi "
                    "efter en kod från appen."
                ),
            )
            return HttpResponseRedirect(_next_url(request))
        _code_error(form, result)
    return render(
        request,
        "web/otp_enrol.html",
        {
            "form": form,
            "next": _next_url(request),
            "actor": None,
            "required": twofactor.session_state(request) == twofactor.ENROL,
            "qr_code": twofactor.qr_svg(device, label=_("QR-kod för autentiseringsappen")),
            "secret": twofactor.secret_text(device),
            "issuer": settings.OTP_TOTP_ISSUER,
            "username": request.user.get_username(),
        },
    )


@require_http_methods(["POST"])
def logout_view(request):
    provider_logout = None
    if request.user.is_authenticated:
        audit.event_record(actor=request.actor, action=Action.LOGOUT, resource_type="auth.session")
        record = request.session.get(assurance.SESSION_KEY) or {}
        if record.get("method") == assurance.OIDC:
            # Single logout: the provider's session ends too.
            provider_logout = oidc_views.logout_redirect(
                request, request.session.get("oidc_id_token", "")
            )
    provider_sessions.forget(request.session.session_key)
    # LogoutView flushes the session: nothing of it survives logging out. The browser is
    # told to drop what it cached of the pages too (personal data).
    response = auth_views.LogoutView.as_view()(request)
    if provider_logout:
        response = HttpResponseRedirect(provider_logout)
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


@login_required
def home(request):
    actor = request.actor
    if not actor.has_membership:
        return HttpResponseRedirect(reverse("web:choose_role"))
    contact_functions = list(directory.contact_functions_for(actor.organisation_id))
    return render(
        request,
        "web/home.html",
        {
            "nav": "home",
            "contact_functions": contact_functions,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def choose_role(request):
    memberships = list(directory.active_memberships(request.user.pk))
    if request.method == "POST":
        chosen = bounds.parse_int(request.POST.get("membership"), low=1)
        if chosen in {m.pk for m in memberships}:
            request.session[SESSION_KEY] = chosen
            old_key = request.session.session_key
            request.session.cycle_key()
            provider_sessions.moved(old_key, request.session.session_key)
            return HttpResponseRedirect(reverse("web:home"))
        messages.error(request, _("Välj en av dina roller."))
    return render(
        request,
        "web/choose_role.html",
        {"memberships": memberships, "current": request.session.get(SESSION_KEY)},
        status=200 if memberships else 403,
    )


def accessibility(request):
    return render(request, "web/accessibility.html", {"nav": ""})
