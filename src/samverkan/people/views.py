"""Children pages: list and search, search-before-register, overview, guardians,
enrolment and the organisation's own involvement. Views are thin: they parse input,
call a selector or a service and render."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access import pipeline
from samverkan.core import paging
from samverkan.core.errors import DomainError, NotFound
from samverkan.core.forms import add_domain_error
from samverkan.core.refusals import refuse
from samverkan.directory import selectors as directory

from . import contexts, custody_reads, eidas, identity, panels, selectors, services
from .forms import (
    ContextForm,
    CustodyEndForm,
    EidasLinkForm,
    EidasRevokeForm,
    EndInvolvementForm,
    EnrolmentForm,
    GuardianCorrectForm,
    GuardianForm,
    GuardianReplaceForm,
    LookupForm,
    ProtectedNeedForm,
    RegisterForm,
    SearchForm,
    eidas_prefix,
    guardian_action_forms,
    guardian_prefix,
)
from .writes import SCHOOL_TYPES


def _child_or_404(actor, public_id, **kwargs):
    try:
        return selectors.child_get(actor, public_id, **kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
@require_http_methods(["GET", "POST"])
def child_list(request):
    """The organisation's children, page by page (GET); a search by personnummer or
    name is sent with POST, so that what was searched for never ends up in a URL, the
    browser history or an access log."""
    actor = request.actor
    if not pipeline.may_list(actor, "people.child"):
        raise refuse(actor, _("registret över barn"))
    form = SearchForm(request.POST if request.method == "POST" else None)
    query = ""
    error = None
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
    if query:
        try:
            page = selectors.child_search(
                actor, query=query, page=paging.page_number(request.POST.get("page"))
            )
        except DomainError as exc:
            page, error = paging.page_of([]), exc.message
    else:
        page = selectors.child_list(actor, page=paging.page_number(request.GET.get("page")))
    return render(
        request,
        "people/child_list.html",
        {
            "nav": "children",
            "form": form,
            "query": query,
            "page": page,
            "post_fields": [("q", query)] if query else None,
            "rows": [(c, identity.age_on(c.date_of_birth)) for c in page],
            "error": error,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_register(request):
    actor = request.actor
    if not selectors.may_register_children(actor):
        raise refuse(actor, _("att registrera barn"))
    units = directory.organisation_get(actor.organisation_public_id).units.filter(is_active=True)
    # The personnummer is looked up with POST, so that it stays out of URLs and logs.
    looking_up = request.method == "POST" and request.POST.get("step") == "lookup"
    lookup = LookupForm(request.POST if looking_up else None)
    existing = None
    form = None
    if request.method == "POST" and not looking_up:
        form = RegisterForm(request.POST, units=units, org_type=actor.organisation_type)
        if form.is_valid():
            try:
                child, _created = services.child_register(
                    actor=actor,
                    personal_number=form.cleaned_data["personal_number"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    context=form.cleaned_data["context"],
                    unit_id=form.cleaned_data["unit"],
                    note=form.cleaned_data["note"],
                    protected_identity=form.cleaned_data["protected_identity"],
                    street_address=form.cleaned_data["street_address"],
                    postal_code=form.cleaned_data["postal_code"],
                    city=form.cleaned_data["city"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, gettext("Barnet är registrerat i din verksamhet."))
                return HttpResponseRedirect(reverse("people:child_detail", args=[child.public_id]))
    elif lookup.is_valid():
        try:
            number = identity.parse(lookup.cleaned_data["personal_number"])
        except DomainError as exc:
            lookup.add_error("personal_number", exc.message)
        else:
            existing = selectors.child_find_for_registration(actor, number)
            if existing is None:
                form = RegisterForm(
                    initial={"personal_number": number.display},
                    units=units,
                    org_type=actor.organisation_type,
                )
    return render(
        request,
        "people/child_register.html",
        {"nav": "children", "lookup": lookup, "form": form, "existing": existing},
    )


@login_required
@pipeline.read_page
def child_detail(request, public_id):
    actor = request.actor
    view = _child_or_404(actor, public_id, with_matters=True, with_custody_history=True)
    # The forms behind each "details" are loaded when it is opened (child_form).
    return render(
        request,
        "people/child_detail.html",
        {
            "nav": "children",
            "view": view,
            "child": view.child,
            "may_change": selectors.may_change_child(actor, view),
            "custody_history": custody_reads.custody_history(actor, view),
            "register_name": selectors.population_register_name(),
            "is_school": request.actor.organisation_type in SCHOOL_TYPES,
            "panels": panels.registered(),
            # A matter whose organisation type has one character cannot change it.
            "context_changeable": len(contexts.allowed(actor.organisation_type)) > 1,
            # Decided here, not by permission codes in the template (the secrecy gate).
            "may_register": selectors.may_register_children(actor),
            "may_record_protected_need": selectors.may_record_protected_need(actor),
        },
    )


INVOLVEMENT_FORMS = {
    "skyddade-uppgifter": "need",
    "karaktar": "context",
    "avsluta": "end",
}


@login_required
@require_GET
def child_form(request, public_id, name, guardian_id=None, involvement_id=None, kind=None):
    """One of the child overview's forms, loaded when its "details" is opened (htmx:
    the form alone) or followed as a link without JavaScript (a page of its own).
    Offered on the same conditions as on the overview; the read is audited like the
    overview's."""
    actor = request.actor
    view = _child_or_404(actor, public_id)
    # Every form changes the record: an open matter of one's own and a function that
    # registers (the form for an ended matter is refused below as not found).
    changes = selectors.may_change_child(actor, view)
    context = {"child": view.child, "view": view}
    if name == "enrolment":
        allowed = changes and actor.organisation_type in SCHOOL_TYPES
        title = _("Registrera inskrivning i din skola/förskola")
        context["enrolment_form"] = EnrolmentForm()
    elif name == "guardian_add":
        allowed = changes
        title = _("Lägg till vårdnadshavare")
        context["guardian_form"] = GuardianForm()
    elif name == "guardian":
        custody = next((c for c in view.custodies if c.guardian.public_id == guardian_id), None)
        if custody is None:
            raise Http404(_("Vårdnadshavaren finns inte i din verksamhets register."))
        allowed = changes
        context.update(_guardian_context(custody))
        title = _("Rätta, avsluta eller ersätt %(name)s") % {"name": custody.guardian.full_name}
    else:  # a form on one of the organisation's open matters
        name = INVOLVEMENT_FORMS.get(kind)
        inv = next(
            (
                i
                for i in view.own_involvements
                if i.public_id == involvement_id and i.ended_at is None
            ),
            None,
        )
        if name is None or inv is None:
            raise Http404(_("Ärendet finns inte eller är redan avslutat."))
        context["inv"] = inv
        allowed = changes
        if name == "need":
            allowed = allowed and view.child.protected_identity and not inv.protected_details_need
            allowed = allowed and selectors.may_record_protected_need(actor)
            title = _("Registrera behov av adress och skola")
            context["need_form"] = ProtectedNeedForm()
        elif name == "context":
            allowed = allowed and len(contexts.allowed(actor.organisation_type)) > 1
            title = _("Ändra ärendets karaktär")
            context["context_form"] = ContextForm(org_type=actor.organisation_type)
        else:
            title = _("Avsluta ärendet")
            context["end_form"] = EndInvolvementForm()
    if not allowed:
        raise refuse(actor, title.lower())
    fragment = f"people/child_forms/{name}.html"
    if request.headers.get("HX-Request"):
        return render(request, fragment, context)
    context.update(nav="children", title=title, fragment=fragment)
    return render(request, "people/child_form.html", context)


# A refused form is shown again on its own page (the one a link without JavaScript
# opens, ``child_form``): the fragment, and the name the fragment knows the form by.
_REFUSED_PAGES = {
    GuardianForm: ("guardian_add", "guardian_form", gettext_lazy("Lägg till vårdnadshavare")),
    EnrolmentForm: (
        "enrolment",
        "enrolment_form",
        gettext_lazy("Registrera inskrivning i din skola/förskola"),
    ),
    ProtectedNeedForm: ("need", "need_form", gettext_lazy("Registrera behov av adress och skola")),
    EndInvolvementForm: ("end", "end_form", gettext_lazy("Avsluta ärendet")),
    ContextForm: ("context", "context_form", gettext_lazy("Ändra ärendets karaktär")),
}
_GUARDIAN_SLOTS = {
    "ratta": "correct_form",
    "avsluta": "end_form",
    "ersatt": "replace_form",
    "eidas": "link_form",
}


def _guardian_context(custody, refused=None) -> dict:
    """The forms for one guardian record: correct, end, replace, and link or unlink a
    foreign eID (decision 0310); ``refused`` (a form sent back) takes its slot."""
    (c, correct, end, replace), *_rest = guardian_action_forms([custody])
    g = c.guardian
    context = {
        "c": c,
        "correct_form": correct,
        "end_form": end,
        "replace_form": replace,
        "link_form": EidasLinkForm(prefix=guardian_prefix(g.public_id, "eidas")),
        "eidas_links": [
            (link, EidasRevokeForm(prefix=eidas_prefix(link.public_id)))
            for link in eidas.links_of([g.pk]).get(g.pk, [])
        ],
    }
    if refused is not None:
        suffix = refused.prefix.rsplit("-", 1)[-1]
        if suffix == "eidasav":
            context["eidas_links"] = [
                (link, refused if form.prefix == refused.prefix else form)
                for link, form in context["eidas_links"]
            ]
        else:
            context[_GUARDIAN_SLOTS[suffix]] = refused
    return context


def _refused(request, public_id, form, involvement_id=None, guardian_id=None):
    """The form's own page with the form as sent: what was typed, the reason at its
    field and in a summary at the top (a redirect would empty it)."""
    view = _child_or_404(request.actor, public_id)
    context = {"child": view.child, "view": view, "nav": "children", "refused": form}
    if guardian_id is not None:
        custody = next((c for c in view.custodies if c.guardian.public_id == guardian_id), None)
        if custody is None:
            raise Http404(_("Vårdnadshavaren finns inte i din verksamhets register."))
        context.update(_guardian_context(custody, refused=form))
        name = "guardian"
        title = _("Rätta, avsluta eller ersätt %(name)s") % {"name": custody.guardian.full_name}
    else:
        name, slot, title = _REFUSED_PAGES[type(form)]
        context[slot] = form
        if involvement_id is not None:
            inv = next((i for i in view.own_involvements if i.public_id == involvement_id), None)
            if inv is None:
                raise Http404(_("Ärendet finns inte eller är redan avslutat."))
            context["inv"] = inv
    context.update(title=title, fragment=f"people/child_forms/{name}.html")
    # 422: the form was not accepted (a refresh does not send it again unasked).
    return render(request, "people/child_form.html", context, status=422)


def _post_on_child(
    request,
    public_id,
    form_class,
    action,
    success_message,
    *,
    involvement_id=None,
    guardian_id=None,
):
    """Shared shape of the small POST forms on the child overview: done, back to the
    overview; refused, the form again with what was typed (``_refused``)."""
    actor = request.actor
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(actor, form.cleaned_data)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, success_message)
            return HttpResponseRedirect(reverse("people:child_detail", args=[public_id]))
    return _refused(
        request, public_id, form, involvement_id=involvement_id, guardian_id=guardian_id
    )


@login_required
@require_POST
def guardian_add(request, public_id):
    def action(actor, data):
        child = selectors.child_for_change(actor, public_id)
        services.guardian_add(actor=actor, child=child, data=services.GuardianInput(**data))

    return _post_on_child(
        request, public_id, GuardianForm, action, gettext("Vårdnadshavaren är tillagd.")
    )


@login_required
@require_POST
def guardian_correct(request, public_id, guardian_id):
    def action(actor, data):
        reason = data.pop("reason")
        services.guardian_correct(
            actor=actor,
            child=selectors.child_for_change(actor, public_id),
            guardian_public_id=guardian_id,
            data=services.GuardianInput(**data),
            reason=reason,
        )

    form = partial(GuardianCorrectForm, prefix=guardian_prefix(guardian_id, "ratta"))
    return _post_on_child(
        request,
        public_id,
        form,
        action,
        gettext("Uppgifterna är rättade."),
        guardian_id=guardian_id,
    )


@login_required
@require_POST
def custody_end(request, public_id, guardian_id):
    def action(actor, data):
        services.custody_end(
            actor=actor,
            child=selectors.child_for_change(actor, public_id),
            guardian_public_id=guardian_id,
            reason=data["reason"],
        )

    form = partial(CustodyEndForm, prefix=guardian_prefix(guardian_id, "avsluta"))
    return _post_on_child(
        request, public_id, form, action, gettext("Vårdnaden är avslutad."), guardian_id=guardian_id
    )


@login_required
@require_POST
def guardian_replace(request, public_id, guardian_id):
    def action(actor, data):
        reason = data.pop("reason")
        services.guardian_replace(
            actor=actor,
            child=selectors.child_for_change(actor, public_id),
            guardian_public_id=guardian_id,
            data=services.GuardianInput(**data),
            reason=reason,
        )

    form = partial(GuardianReplaceForm, prefix=guardian_prefix(guardian_id, "ersatt"))
    return _post_on_child(
        request,
        public_id,
        form,
        action,
        gettext("Vårdnadshavaren är ersatt."),
        guardian_id=guardian_id,
    )


@login_required
@require_POST
def eidas_link(request, public_id, guardian_id):
    """Link a guardian's foreign eID after checking their identity in person."""

    def action(actor, data):
        eidas.link(
            actor=actor,
            child=selectors.child_for_change(actor, public_id),
            guardian_public_id=guardian_id,
            identifier=data["identifier"],
            checked_how=data["checked_how"],
        )

    form = partial(EidasLinkForm, prefix=guardian_prefix(guardian_id, "eidas"))
    return _post_on_child(
        request,
        public_id,
        form,
        action,
        gettext("Den utländska e-legitimationen är kopplad till vårdnadshavaren."),
        guardian_id=guardian_id,
    )


@login_required
@require_POST
def eidas_revoke(request, public_id, guardian_id, link_id):
    def action(actor, data):
        eidas.revoke(
            actor=actor,
            child=selectors.child_for_change(actor, public_id),
            guardian_public_id=guardian_id,
            link_public_id=link_id,
            reason=data["reason"],
        )

    form = partial(EidasRevokeForm, prefix=eidas_prefix(link_id))
    return _post_on_child(
        request,
        public_id,
        form,
        action,
        gettext(
            "Kopplingen är borttagen. E-legitimationen loggar inte längre in som vårdnadshavaren."
        ),
        guardian_id=guardian_id,
    )


@login_required
@require_POST
def guardians_from_register(request, public_id):
    actor = request.actor
    try:
        added = services.guardians_from_register(
            actor=actor, child=selectors.child_for_change(actor, public_id)
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if added:
            names = gettext(" och ").join(c.guardian.full_name for c in added)
            messages.success(
                request, gettext("Hämtat från folkbokföringen: %(names)s.") % {"names": names}
            )
        else:
            messages.info(request, gettext("Vårdnadshavarna stämmer redan med folkbokföringen."))
    return HttpResponseRedirect(reverse("people:child_detail", args=[public_id]))


@login_required
@require_POST
def enrolment_add(request, public_id):
    def action(actor, data):
        child = selectors.child_for_change(actor, public_id)
        services.enrolment_add(actor=actor, child=child, **data)

    return _post_on_child(
        request, public_id, EnrolmentForm, action, gettext("Inskrivningen är sparad.")
    )


@login_required
@require_POST
def protected_need(request, public_id, involvement_id):
    def action(actor, data):
        services.involvement_record_protected_need(
            actor=actor, involvement_public_id=involvement_id, need=data["need"]
        )

    return _post_on_child(
        request,
        public_id,
        ProtectedNeedForm,
        action,
        gettext("Behovet är registrerat."),
        involvement_id=involvement_id,
    )


@login_required
@require_POST
def involvement_end(request, public_id, involvement_id):
    def action(actor, data):
        services.involvement_end(
            actor=actor, involvement_public_id=involvement_id, reason=data["reason"]
        )

    return _post_on_child(
        request,
        public_id,
        EndInvolvementForm,
        action,
        gettext("Verksamhetens ärende är avslutat."),
        involvement_id=involvement_id,
    )


@login_required
@require_POST
def involvement_context(request, public_id, involvement_id):
    def action(actor, data):
        services.involvement_change_context(
            actor=actor,
            involvement_public_id=involvement_id,
            context=data["context"],
            reason=data["reason"],
        )

    return _post_on_child(
        request,
        public_id,
        ContextForm,
        action,
        gettext("Ärendets karaktär är ändrad."),
        involvement_id=involvement_id,
    )
