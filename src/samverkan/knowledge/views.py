"""Knowledge pages. Thin: parse input, call a selector or a service, render. Shared
content is readable by every member; editing needs ``directory.manage``.

Here: the start page, search, the introduction for new staff, a child's factors, and
what the other pages share (``member_required``, ``_render``, ``_or_404``). Shared
content is in ``content_views``, the personal checklist in ``checklist_views``, events in
``event_views`` and competence plans in ``competence_views``; ``urls`` imports each."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from samverkan.core.errors import NotFound
from samverkan.directory import selectors as directory

from . import selectors, services
from .forms import SearchForm

NAV = "knowledge"


def member_required(view):
    """Logged in and acting in a role; otherwise to the login or role page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.actor.has_membership:
            return HttpResponseRedirect(reverse("web:choose_role"))
        return view(request, *args, **kwargs)

    return wrapper


def _render(request, template, context=None, **kwargs):
    base = {"nav": NAV, "may_manage": services.may_manage_actor(request.actor)}
    return render(request, template, {**base, **(context or {})}, **kwargs)


def _or_404(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@member_required
def index(request):
    return _render(
        request,
        "knowledge/index.html",
        {"form": SearchForm(), "upcoming": selectors.events_upcoming(request.actor)[:3]},
    )


@member_required
def search(request):
    form = SearchForm(request.GET or None)
    query, entry_type, hits = "", "", []
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        entry_type = form.cleaned_data["typ"]
        hits = selectors.search(query, entry_type=entry_type)
    return _render(
        request,
        "knowledge/search.html",
        {"form": form, "query": query, "hits": hits, "entry_type": entry_type},
    )


# Introduction for new staff ------------------------------------------------------------------
INTRO_CONCEPTS = (
    "samverkan",
    "samsyn",
    "sekretess",
    "samtycke",
    "anmalningsskyldighet",
    "orosanmalan",
    "forhandsbedomning",
    "aterkoppling",
    "sip",
    "samordnare",
    "kontaktsocialsekreterare",
    "graszon",
    "avidentifierad-konsultation",
    "tidiga-insatser",
)


@member_required
def introduction(request):
    actor = request.actor
    own_profile = selectors.actor_profile_for_org_type(actor.organisation_type)
    return _render(
        request,
        "knowledge/introduction.html",
        {
            "concepts": selectors.concepts_by_code(INTRO_CONCEPTS),
            "actors": list(selectors.actor_profiles()),
            "own_profile": own_profile,
            "contact_functions": list(directory.contact_functions_for(actor.organisation_id)),
            "methods": list(selectors.methods()[:5]),
            "upcoming": selectors.events_upcoming(actor)[:3],
            "checklist": selectors.checklist_for(actor),
        },
    )


@login_required
def child_factors(request, child_id):
    """The child overview's panel: risk and protective factors noted on the records
    (reports, plans ...) the viewer may see. Reading the child is checked and audited
    by the people app; each feature decides which of its records the viewer sees."""
    from samverkan.people import selectors as people

    try:
        view = people.child_get(request.actor, child_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    summary = selectors.factor_summary_for_child(request.actor, child_id=view.child.public_id)
    template = (
        "knowledge/_child_factors_panel.html"
        if request.GET.get("fragment") or request.headers.get("HX-Request")
        else "knowledge/child_factors.html"
    )
    return render(request, template, {"child": view.child, "summary": summary})
