"""Login, role choice, the start page and the accessibility statement."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.audit import services as audit
from samverkan.audit.models import Action, Outcome
from samverkan.consent import selectors as consent_selectors
from samverkan.directory import selectors as directory
from samverkan.directory.middleware import SESSION_KEY


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Fel användarnamn eller lösenord. Kontrollera och försök igen.",
        "inactive": "Kontot är spärrat. Kontakta din administratör.",
    }


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.SAMVERKAN["SHOW_DEMO_USERS"]:
            context["demo_users"] = directory.demo_user_rows()
            context["demo_password"] = settings.SAMVERKAN.get("DEMO_PASSWORD", "")
        return context

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        actor = directory.actor_for_user(self.request.user)
        audit.event_record(actor=actor, action=Action.LOGIN, resource_type="auth.session")
        return response

    def form_invalid(self, form):
        audit.event_record(
            actor=None,
            action=Action.LOGIN_FAILED,
            resource_type="auth.session",
            outcome=Outcome.DENIED,
            details={"username": (form.data.get("username") or "")[:150]},
        )
        return super().form_invalid(form)


@require_http_methods(["POST"])
def logout_view(request):
    if request.user.is_authenticated:
        audit.event_record(actor=request.actor, action=Action.LOGOUT, resource_type="auth.session")
    # LogoutView flushes the session: nothing of it survives logging out.
    return auth_views.LogoutView.as_view()(request)


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
            "consent_notices": consent_selectors.needing_attention(actor),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def choose_role(request):
    memberships = list(directory.active_memberships(request.user.pk))
    if request.method == "POST":
        try:
            chosen = int(request.POST.get("membership", ""))
        except ValueError:
            chosen = None
        if chosen in {m.pk for m in memberships}:
            request.session[SESSION_KEY] = chosen
            request.session.cycle_key()
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
