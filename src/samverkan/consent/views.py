"""Consent pages: the child's consents and actor map, give/renew, a consent with its
history and what was shared under it, signing, revoking, and the printable form."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.audit.models import Action
from samverkan.core import paging
from samverkan.core.errors import DomainError, NotFound
from samverkan.core.forms import add_domain_error
from samverkan.directory import selectors as directory
from samverkan.people import selectors as people
from samverkan.people.identity import age_on

from . import selectors, services
from .forms import (
    GiveForm,
    NewGuardianFormSet,
    RevokeForm,
    SignForm,
    new_guardians,
    registered_initial,
)
from .models import GiverKind


def _child(actor, child_id):
    try:
        return people.child_get(actor, child_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _giver_choices(child, custodies):
    choices = [
        (
            f"guardian:{c.guardian.public_id}",
            _("%(full_name)s (vårdnadshavare)") % {"full_name": c.guardian.full_name},
        )
        for c in custodies
    ]
    if age_on(child.date_of_birth) >= settings.SAMVERKAN["CONSENT_CHILD_VIEWS_AGE"]:
        choices.append(
            ("child", _("%(full_name)s (barnet/den unge)") % {"full_name": child.full_name})
        )
    return choices


def _giver_inputs(values, given_on, method):
    inputs = []
    for value in values:
        if value == "child":
            inputs.append(
                services.GiverInput(kind=GiverKind.CHILD, given_on=given_on, method=method)
            )
        else:
            inputs.append(
                services.GiverInput(
                    kind=GiverKind.GUARDIAN,
                    guardian_id=value.split(":", 1)[1],
                    given_on=given_on,
                    method=method,
                )
            )
    return inputs


@login_required
def child_consents(request, child_id):
    """The child's consents (timeline) and actor map. Also the overview panel."""
    actor = request.actor
    view = _child(actor, child_id)
    facts = selectors.child_facts(view.child)
    context = {
        "nav": "children",
        "child": view.child,
        "child_view": view,
        "consents": selectors.consents_for_child(actor, view.child, facts),
        "actor_map": selectors.actor_map(actor, view.child, facts),
        "period_labels": selectors.PERIOD_LABELS,
        "may_register": selectors.may_register_for(actor, view.child),
    }
    if request.GET.get("fragment") or request.headers.get("HX-Request"):
        return render(request, "consent/_child_panel.html", context)
    return render(request, "consent/child_consents.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def give(request, child_id):
    actor = request.actor
    view = _child(actor, child_id)
    if not selectors.may_register_for(actor, view.child):
        raise Http404
    child = view.child
    renews, renewed = None, None
    renew_id = request.GET.get("fornya") or request.POST.get("renews")
    if renew_id:
        try:
            renewed = selectors.consent_get(actor, renew_id)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        renews = renewed.consent
    custodies = selectors.own_custodies(actor, child)
    giver_choices = _giver_choices(child, custodies)
    form_kwargs = {
        "organisations": directory.organisation_choices(),
        "own_organisation_id": actor.organisation_id,
        "giver_choices": giver_choices,
    }
    # Without the organisation's own record of the guardians a consent cannot be tested
    # against custody: the form then takes the givers' identities (from the population
    # register where one is configured) and records them.
    guardians = None
    registered = None
    if not custodies:
        registered = people.population_lookup(actor, child)
        # A post without the guardian rows (another client, an older page) gives none.
        posted = request.method == "POST" and "vh-TOTAL_FORMS" in request.POST
        guardians = NewGuardianFormSet(
            request.POST if posted else None,
            prefix="vh",
            initial=registered_initial(registered),
        )
    if request.method == "POST":
        form = GiveForm(request.POST, **form_kwargs)
        rows_ok = guardians is None or not guardians.is_bound or guardians.is_valid()
        if form.is_valid() and rows_ok:
            data = form.cleaned_data
            try:
                consent = services.consent_give(
                    actor=actor,
                    child=people.child_for_change(actor, child.public_id),
                    party_ids=data["parties"],
                    category_codes=data["categories"],
                    purpose_codes=data["purposes"],
                    form=data["form"],
                    context=data["context"],
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    exclusions=data["exclusions"],
                    child_views=data["child_views"],
                    note=data["note"],
                    givers=_giver_inputs(
                        data["givers"], data["given_on"], data["method"] or data["form"]
                    ),
                    renews=renews,
                    new_guardians=new_guardians(
                        guardians, registered, data["given_on"], data["method"] or data["form"]
                    ),
                )
            except NotFound as exc:
                raise Http404(exc.message) from exc
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Samtycke %(short_id)s är registrerat.") % {"short_id": consent.short_id},
                )
                return HttpResponseRedirect(reverse("consent:detail", args=[consent.public_id]))
    else:
        initial = {
            "form": "written",
            "context": selectors.context_for_new_consent(actor, child, renewed),
        }
        if renewed is not None:
            initial.update(selectors.renewal_initial(renewed))
        form = GiveForm(initial=initial, **form_kwargs)
    return render(
        request,
        "consent/give.html",
        {
            "nav": "children",
            "child": child,
            "form": form,
            "renews": renews,
            "guardians": guardians,
            "registered": registered,
        },
    )


def _consent_or_404(actor, consent_id, action=Action.READ):
    try:
        return selectors.consent_get(actor, consent_id, action=action)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def detail(request, consent_id):
    actor = request.actor
    cview = _consent_or_404(actor, consent_id)
    consent = cview.consent
    custodies = selectors.consent_custodies(cview)
    given = {str(g.guardian.public_id) for g in consent.givers.all() if g.guardian_id}
    has_child = any(g.kind == GiverKind.CHILD for g in consent.givers.all())
    sign_choices = [
        (value, label)
        for value, label in _giver_choices(consent.child, custodies)
        if not (value == "child" and has_child) and value.split(":", 1)[-1] not in given
    ]
    revoke_choices = [(g.pk, g.name) for g in consent.givers.all() if g.revoked_at is None]
    may_change = selectors.may_change(actor, cview)
    may_renew = may_change and selectors.may_register_for(actor, consent.child)
    return render(
        request,
        "consent/detail.html",
        {
            "nav": "children",
            "cview": cview,
            "consent": consent,
            "child": consent.child,
            "disclosures": selectors.disclosures_for(
                consent, page=paging.page_number(request.GET.get("page"))
            ),
            "sign_form": SignForm(giver_choices=sign_choices)
            if may_change and sign_choices
            else None,
            "revoke_form": RevokeForm(giver_choices=revoke_choices)
            if may_change and revoke_choices
            else None,
            "may_renew": may_renew,
        },
    )


@login_required
@require_POST
def sign(request, consent_id):
    actor = request.actor
    cview = _consent_or_404(actor, consent_id)
    consent = cview.consent
    form = SignForm(
        request.POST,
        giver_choices=_giver_choices(
            consent.child,
            selectors.consent_custodies(cview),
        ),
    )
    if form.is_valid():
        try:
            services.consent_sign(
                actor=actor,
                consent=consent,
                givers=_giver_inputs(
                    form.cleaned_data["givers"],
                    form.cleaned_data["given_on"],
                    form.cleaned_data["method"],
                ),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Underskrifterna är registrerade."))
    else:
        messages.error(request, _("Välj vem som har samtyckt och hur."))
    return HttpResponseRedirect(reverse("consent:detail", args=[consent.public_id]))


@login_required
@require_POST
def revoke(request, consent_id):
    actor = request.actor
    cview = _consent_or_404(actor, consent_id)
    consent = cview.consent
    form = RevokeForm(
        request.POST,
        giver_choices=[(g.pk, g.name) for g in consent.givers.all() if g.revoked_at is None],
    )
    if form.is_valid():
        try:
            services.consent_revoke(
                actor=actor,
                consent=consent,
                giver_ids=form.cleaned_data["givers"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Samtycket är återkallat. Inget mer delas med stöd av det.")
            )
    else:
        messages.error(request, _("Välj vem som återkallar samtycket."))
    return HttpResponseRedirect(reverse("consent:detail", args=[consent.public_id]))


@login_required
def form_pdf(request, consent_id):
    """The consent form as a PDF, pre-filled, to be signed on paper."""
    from weasyprint import HTML

    actor = request.actor
    cview = _consent_or_404(actor, consent_id, action=Action.PRINT)
    consent = cview.consent
    custodies = selectors.consent_custodies(cview)
    html = render_to_string(
        "consent/form_pdf.html",
        {
            "consent": consent,
            "child": consent.child,
            "custodies": custodies,
            "parties": cview.parties,
            "child_age": age_on(consent.child.date_of_birth),
            "views_age": settings.SAMVERKAN["CONSENT_CHILD_VIEWS_AGE"],
            "printed_at": timezone.now(),
            "actor": actor,
        },
    )
    # Tagged (structure, language, title), so that screen readers can read it.
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(pdf_tags=True)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="samtycke-{consent.short_id}.pdf"'
    return response
