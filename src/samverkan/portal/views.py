"""The family portal's pages (decision 0200): login through e-legitimation (the portal's
own OpenID Connect client), my children, a child's page, a consent and the three acts
on it. Thin: each calls one selector or service with the family member as actor."""

from __future__ import annotations

from urllib.parse import urlencode

import structlog
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from samverkan.core.errors import DomainError, NotFound
from samverkan.core.forms import add_domain_error
from samverkan.web.oidc import backend as staff_oidc
from samverkan.web.oidc import discovery

from . import extracts, oidc, receipt, selectors, services, session
from .forms import NarrowForm, RevokeForm, SignForm

log = structlog.get_logger(__name__)


def _refusal_text(code: str) -> str:
    texts = {
        services.NO_CHILDREN: _(
            "Vi hittar inget barn som du är vårdnadshavare för i Samverkan. Om du tror att "
            "det är fel, kontakta skolan eller den verksamhet du har kontakt med. Unga kan "
            "logga in själva från %(age)s år."
        )
        % {"age": settings.SAMVERKAN["PORTAL_OWN_ACCESS_AGE"]},
        oidc.NO_PERSONNUMMER: _(
            "Din e-legitimation gav inget svenskt personnummer. E-tjänsten kräver det."
        ),
        services.EIDAS_NOT_LINKED: _(
            "Du loggade in med en utländsk e-legitimation. Den är inte kopplad till dig som "
            "vårdnadshavare i Samverkan ännu."
        ),
        staff_oidc.CANCELLED: _("Inloggningen avbröts. Försök igen."),
        staff_oidc.STATE: _(
            "Inloggningen gick ut eller startades i ett annat fönster. Försök igen."
        ),
        staff_oidc.PROVIDER: _(
            "Tjänsten för e-legitimation svarar inte just nu. Försök igen om en stund."
        ),
    }
    return texts.get(
        code,
        _("Inloggningen kunde inte slutföras. Försök igen."),
    )


def _safe_next(request, url: str) -> str:
    if (
        url
        and url_has_allowed_host_and_scheme(url, {request.get_host()})
        and url.startswith("/familj/")
    ):
        return url
    return reverse("portal:home")


# The default label (config/settings/base.py), in the catalogue so that it is shown in
# the reader's language; a label the municipality configures is shown as written.
gettext_noop("Logga in med BankID eller Freja eID")


def _button_label() -> str:
    return _(settings.SAMVERKAN_PORTAL_OIDC["BUTTON_LABEL"])


@never_cache
@require_GET
def login(request):
    return render(
        request,
        "portal/login.html",
        {
            "enabled": oidc.enabled(),
            "button_label": _button_label(),
            "next": _safe_next(request, request.GET.get("next", "")),
            "own_age": settings.SAMVERKAN["PORTAL_OWN_ACCESS_AGE"],
        },
    )


class StartView(OIDCAuthenticationRequestView):
    """To the provider, with the portal's client. ``?igen=1`` asks the person to
    identify themself again (``prompt=login``), before a signature."""

    get_settings = staticmethod(oidc.portal_setting)

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get_extra_params(self, request):
        params = super().get_extra_params(request)
        if request.GET.get("igen"):
            params = {**params, "prompt": "login", "max_age": "0"}
        return params

    def get(self, request):
        if not oidc.enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except discovery.DiscoveryError:
            return _refused(request, staff_oidc.PROVIDER)
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        response = super().get(request)
        request.session["portal_next"] = _safe_next(request, request.GET.get("next", ""))
        return response


start = never_cache(StartView.as_view())


def _refused(request, code: str, claims: dict | None = None, **extra):
    services.login_refused(reason=code, claims=claims)
    log.info("portal_login_refused", reason=code)
    return render(
        request,
        "portal/login.html",
        {
            "enabled": oidc.enabled(),
            "button_label": _button_label(),
            "error": _refusal_text(code),
            "next": reverse("portal:home"),
            "own_age": settings.SAMVERKAN["PORTAL_OWN_ACCESS_AGE"],
            **extra,
        },
        status=403,
    )


@never_cache
@require_GET
def callback(request):
    if not oidc.enabled():
        raise Http404
    states = request.session.get("oidc_states") or {}
    state = request.GET.get("state", "")
    entry = states.pop(state, None) if state else None
    if entry is not None:
        request.session["oidc_states"] = states  # used once
        request.session.save()
    if request.GET.get("error"):
        return _refused(request, staff_oidc.CANCELLED)
    if entry is None or "code" not in request.GET:
        return _refused(request, staff_oidc.STATE)
    backend = oidc.FamilyOIDCBackend()
    try:
        identity = backend.authenticate(
            request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
        )
    except staff_oidc.LoginRefused as refusal:
        log.info("portal_login_refusal_detail", detail=refusal.detail)
        return _refused(request, refusal.code, getattr(backend, "claims", None))
    if identity is None:
        return _refused(request, staff_oidc.INVALID_TOKEN)
    claims = backend.claims or {}
    next_url = request.session.get("portal_next") or reverse("portal:home")
    try:
        _account, record = services.login_record(
            identity=identity,
            acr=str(claims.get("acr", ""))[:200],
            sid=str(claims.get("sid", ""))[:200],
            sub=str(claims.get("sub", ""))[:200],
        )
    except services.NoChildren:
        request.session.flush()
        return _refused(request, services.NO_CHILDREN, claims)
    except services.EidasNotLinked as refusal:
        request.session.flush()
        # The person's own eIDAS identifier, for them to show staff (decision 0310).
        return _refused(
            request,
            services.EIDAS_NOT_LINKED,
            claims,
            eidas_identifier=refusal.identifier,
            eidas_country=refusal.country,
        )
    # The portal's own session: whatever the browser had before (a staff login) ends.
    request.session.flush()
    record["id_token"] = getattr(backend, "id_token", "") or ""
    request.session[session.SESSION_KEY] = record
    return HttpResponseRedirect(_safe_next(request, next_url))


@require_POST
def logout(request):
    entry = request.session.get(session.SESSION_KEY) or {}
    request.session.flush()
    target = reverse("portal:login")
    if oidc.enabled():
        try:
            endpoint = discovery.configuration(settings.SAMVERKAN_PORTAL_OIDC["ISSUER"]).get(
                "end_session_endpoint"
            )
        except discovery.DiscoveryError:
            endpoint = None
        if endpoint:
            params = {
                "client_id": settings.SAMVERKAN_PORTAL_OIDC["CLIENT_ID"],
                "post_logout_redirect_uri": request.build_absolute_uri(target),
            }
            if entry.get("id_token"):
                params["id_token_hint"] = entry["id_token"]
            return HttpResponseRedirect(f"{endpoint}?{urlencode(params)}")
    return HttpResponseRedirect(target)


@never_cache
@session.family_view
def home(request):
    return render(
        request,
        "portal/home.html",
        {"children": selectors.my_children(request.family_actor), "nav": "home"},
    )


def _not_found(exc):
    raise Http404(str(exc)) from exc


@never_cache
@session.family_view
def child(request, child_id):
    try:
        page = selectors.child_page(request.family_actor, child_id)
    except NotFound as exc:
        _not_found(exc)
    return render(request, "portal/child.html", {"page": page, "nav": "home"})


def _consent_context(request, view, **forms):
    return {
        "view": view,
        "fresh": session.fresh(request.family_record),
        "sign_form": forms.get("sign_form")
        or (SignForm(shown_digest=_digest(view)) if view.may_sign else None),
        "signed_text": receipt.consent_text(view),
        "receipts": selectors.my_receipts(request.family_actor, view),
        "revoke_form": forms.get("revoke_form") or (RevokeForm() if view.may_change else None),
        "narrow_form": forms.get("narrow_form")
        or (NarrowForm(view=view) if view.may_change else None),
        "nav": "home",
    }


@never_cache
@session.family_view
def consent(request, consent_id):
    try:
        view = selectors.consent_page(request.family_actor, consent_id)
    except NotFound as exc:
        _not_found(exc)
    return render(request, "portal/consent.html", _consent_context(request, view))


def _again(request, consent_id):
    """A signature rests on a fresh e-legitimation: identify again, then come back."""
    messages.info(
        request,
        _(
            "Legitimera dig igen med din e-legitimation för att skriva under. Sedan kommer du "
            "tillbaka hit."
        ),
    )
    back = reverse("portal:consent", args=[consent_id])
    return HttpResponseRedirect(
        f"{reverse('portal:oidc_start')}?{urlencode({'igen': 1, 'next': back})}"
    )


def _act(request, consent_id, form_class, form_key, act, done: str):
    actor = request.family_actor
    try:
        view = selectors.consent_page(actor, consent_id)
    except NotFound as exc:
        _not_found(exc)
    if form_class is NarrowForm:
        form = form_class(request.POST, view=view)
    elif form_class is SignForm:
        form = form_class(request.POST, shown_digest=_digest(view) if view.may_sign else None)
    else:
        form = form_class(request.POST)
    if form.is_valid():
        if not session.fresh(request.family_record):
            return _again(request, consent_id)
        try:
            result = act(actor, view, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, done)
            target = getattr(result, "public_id", None) or view.public_id
            return HttpResponseRedirect(reverse("portal:consent", args=[target]))
    context = _consent_context(request, view, **{form_key: form})
    return render(request, "portal/consent.html", context, status=422)


def _digest(view) -> str:
    return receipt.digest(receipt.consent_text(view))


def _statement(view, words: str) -> str:
    """What the act says, then the exact consent text it was taken on (portal.receipt)."""
    return f"{words}\n{receipt.consent_text(view)}"


@require_POST
@session.family_view
def sign(request, consent_id):
    return _act(
        request,
        consent_id,
        SignForm,
        "sign_form",
        lambda actor, view, data: services.consent_sign(
            actor=actor,
            entry=request.family_record,
            public_id=view.public_id,
            statement=_statement(view, "Jag samtycker."),
        ),
        _("Tack! Din underskrift är registrerad."),
    )


@require_POST
@session.family_view
def revoke(request, consent_id):
    return _act(
        request,
        consent_id,
        RevokeForm,
        "revoke_form",
        lambda actor, view, data: services.consent_revoke(
            actor=actor,
            entry=request.family_record,
            public_id=view.public_id,
            statement=_statement(view, "Jag återkallar mitt samtycke."),
            note=data.get("note", ""),
        ),
        _("Samtycket är återkallat. Inga fler uppgifter lämnas med stöd av det."),
    )


@require_POST
@session.family_view
def narrow(request, consent_id):
    return _act(
        request,
        consent_id,
        NarrowForm,
        "narrow_form",
        lambda actor, view, data: services.consent_narrow(
            actor=actor,
            entry=request.family_record,
            public_id=view.public_id,
            statement=_statement(view, "Jag inskränker samtycket."),
            party_ids=[int(p) for p in data.get("parties", [])],
            category_codes=data.get("categories", []),
        ),
        _("Samtycket är inskränkt. Det som togs bort gäller inte längre."),
    )


@never_cache
@session.family_view
def log_page(request, child_id):
    try:
        family_child, rows = extracts.rows_for(request.family_actor, child_id)
    except NotFound as exc:
        _not_found(exc)
    return render(request, "portal/log.html", {"child": family_child, "rows": rows, "nav": "home"})


@require_POST
@session.family_view
def log_request(request, child_id):
    try:
        extracts.extract_request(actor=request.family_actor, public_id=child_id)
    except NotFound as exc:
        _not_found(exc)
    messages.success(
        request,
        _(
            "Din begäran är skickad. Verksamheterna går igenom sina loggar och prövar "
            "sekretessen. Utdragen visas här när de är klara."
        ),
    )
    return HttpResponseRedirect(reverse("portal:log", args=[child_id]))
