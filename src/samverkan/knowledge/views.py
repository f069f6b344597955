"""Knowledge pages. Thin: parse input, call a selector or a service, render. Shared
content is readable by every member; editing needs ``directory.manage``."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.core import paging
from samverkan.core.errors import DomainError, NotFound
from samverkan.core.forms import add_domain_error
from samverkan.core.refusals import refuse
from samverkan.directory import selectors as directory

from . import kinds, selectors, services
from .forms import (
    AttendanceForm,
    ChecklistChooseForm,
    ChecklistItemForm,
    CompetenceItemForm,
    CompetencePlanForm,
    CompetenceStatusForm,
    EntryForm,
    EventForm,
    SearchForm,
)

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


# Shared content ------------------------------------------------------------------------
@member_required
def actor_list(request):
    return _render(
        request, "knowledge/actor_list.html", {"actors": list(selectors.actor_profiles())}
    )


@member_required
def actor_detail(request, code):
    profile = _or_404(selectors.entry_get, "actor", code)
    return _render(
        request,
        "knowledge/actor_detail.html",
        {
            "entry": profile,
            "kind": kinds.ACTOR,
            "contacts": selectors.actor_contacts(profile),
        },
    )


@member_required
def concept_list(request):
    concepts = list(selectors.concepts())
    letters: dict[str, list] = {}
    for concept in concepts:
        letters.setdefault(concept.term[:1].upper(), []).append(concept)
    return _render(
        request,
        "knowledge/concept_list.html",
        {"letters": sorted(letters.items(), key=lambda kv: _sv_sort(kv[0]))},
    )


def _sv_sort(letter: str) -> tuple:
    order = "ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ"
    return (order.find(letter) if letter in order else 99, letter)


@member_required
def concept_detail(request, code):
    concept = _or_404(selectors.entry_get, "concept", code)
    return _render(
        request, "knowledge/concept_detail.html", {"entry": concept, "kind": kinds.CONCEPT}
    )


@member_required
def factor_list(request):
    return _render(request, "knowledge/factor_list.html", {"groups": selectors.factors_grouped()})


@member_required
def factor_detail(request, code):
    factor = _or_404(selectors.entry_get, "factor", code)
    return _render(request, "knowledge/factor_detail.html", {"entry": factor, "kind": kinds.FACTOR})


@member_required
def method_list(request):
    return _render(request, "knowledge/method_list.html", {"methods": list(selectors.methods())})


@member_required
def method_detail(request, code):
    method = _or_404(selectors.entry_get, "method", code)
    return _render(
        request,
        "knowledge/method_detail.html",
        {
            "entry": method,
            "kind": kinds.METHOD,
            "contacts": selectors.method_contacts(request.actor, method),
        },
    )


@member_required
def suggestion_list(request):
    return _render(
        request,
        "knowledge/suggestion_list.html",
        {"suggestions": list(selectors.suggestions(include_inactive=True))},
    )


@member_required
def suggestion_detail(request, code):
    suggestion = _or_404(selectors.entry_get, "suggestion", code)
    return _render(
        request,
        "knowledge/suggestion_detail.html",
        {"entry": suggestion, "kind": kinds.SUGGESTION},
    )


def _kind_or_404(kind_code: str) -> kinds.Kind:
    kind = kinds.KINDS.get(kind_code)
    if kind is None:
        raise Http404
    return kind


@member_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, kind_code, code):
    kind = _kind_or_404(kind_code)
    if not services.may_manage_actor(request.actor):
        raise refuse(request.actor, _("att redigera kunskapsbanken"))
    entry = _or_404(selectors.entry_get, kind.code, code)
    if request.method == "POST":
        form = EntryForm(request.POST, kind=kind)
        if form.is_valid():
            try:
                entry = services.entry_update(
                    actor=request.actor,
                    kind_code=kind.code,
                    entry_id=entry.public_id,
                    data=form.entry_data(),
                    expected_version=form.cleaned_data["version"] or 0,
                    comment=form.cleaned_data["comment"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Ändringen är sparad som version %(version)s.") % {"version": entry.version},
                )
                return HttpResponseRedirect(
                    reverse(f"knowledge:{kind.url_prefix}_detail", args=[entry.code])
                )
    else:
        form = EntryForm(
            initial={**kinds.snapshot(kind, entry), "version": entry.version}, kind=kind
        )
    return _render(
        request, "knowledge/entry_form.html", {"form": form, "kind": kind, "entry": entry}
    )


@member_required
@require_http_methods(["GET", "POST"])
def entry_create(request, kind_code):
    kind = _kind_or_404(kind_code)
    if not services.may_manage_actor(request.actor):
        raise refuse(request.actor, _("att redigera kunskapsbanken"))
    form = EntryForm(request.POST or None, kind=kind, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_create(
                actor=request.actor,
                kind_code=kind.code,
                data=form.entry_data(),
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(label)s är skapad.") % {"label": kind.label})
            return HttpResponseRedirect(
                reverse(f"knowledge:{kind.url_prefix}_detail", args=[entry.code])
            )
    return _render(
        request, "knowledge/entry_form.html", {"form": form, "kind": kind, "entry": None}
    )


@member_required
def entry_history(request, kind_code, code):
    kind = _kind_or_404(kind_code)
    entry = _or_404(selectors.entry_get, kind.code, code)
    return _render(
        request,
        "knowledge/entry_history.html",
        {"kind": kind, "entry": entry, "versions": selectors.entry_history(kind.code, entry)},
    )


# Personal checklist ------------------------------------------------------------------------
@member_required
@require_http_methods(["GET", "POST"])
def checklist(request):
    view = selectors.checklist_for(request.actor)
    if request.method == "POST":
        form = ChecklistChooseForm(request.POST, suggestions=view.suggestions)
        if form.is_valid():
            try:
                services.checklist_suggestions_choose(
                    actor=request.actor, codes=form.cleaned_data["chosen"]
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Din checklista är sparad."))
            return HttpResponseRedirect(reverse("knowledge:checklist"))
    else:
        form = ChecklistChooseForm(
            initial={"chosen": sorted(view.chosen)}, suggestions=view.suggestions
        )
    return _render(
        request,
        "knowledge/checklist.html",
        {"view": view, "choose_form": form, "item_form": ChecklistItemForm()},
    )


@member_required
@require_POST
def checklist_item_add(request):
    """Add an own point. Refused (empty, too long): the checklist again with the text as
    typed and the reason at the field."""
    form = ChecklistItemForm(request.POST)
    if form.is_valid():
        try:
            services.checklist_item_add(actor=request.actor, text=form.cleaned_data["text"])
        except DomainError as exc:
            form.add_error("text", exc.message)
        else:
            messages.success(request, _("Punkten är tillagd."))
            return HttpResponseRedirect(reverse("knowledge:checklist") + "#items-heading")
    view = selectors.checklist_for(request.actor)
    choose = ChecklistChooseForm(
        initial={"chosen": sorted(view.chosen)}, suggestions=view.suggestions
    )
    response = _render(
        request,
        "knowledge/checklist.html",
        {"view": view, "choose_form": choose, "item_form": form},
    )
    response.status_code = 422
    return response


@member_required
@require_POST
def checklist_item_mark(request, item_id):
    done = request.POST.get("done") == "1"
    _or_404(services.checklist_item_mark, actor=request.actor, item_id=item_id, done=done)
    return HttpResponseRedirect(reverse("knowledge:checklist") + "#items-heading")


@member_required
@require_POST
def checklist_item_remove(request, item_id):
    _or_404(services.checklist_item_remove, actor=request.actor, item_id=item_id)
    messages.success(request, _("Punkten är borttagen."))
    return HttpResponseRedirect(reverse("knowledge:checklist") + "#items-heading")


@member_required
def checklist_print(request):
    # No personal data about anyone but the user: no audit row for the print.
    return _render(
        request, "knowledge/checklist_print.html", {"view": selectors.checklist_for(request.actor)}
    )


# Events ------------------------------------------------------------------------------------
@member_required
def event_list(request):
    return _render(
        request,
        "knowledge/event_list.html",
        {
            "upcoming": selectors.events_upcoming(request.actor),
            "past": selectors.events_past(
                request.actor, page=paging.page_number(request.GET.get("page"))
            ),
        },
    )


def _event_form(request, *, data=None, initial=None):
    organisations = list(directory.organisation_choices())
    return EventForm(data, initial=initial, organisations=organisations)


@member_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    if not services.may_manage_actor(request.actor):
        raise refuse(request.actor, _("att redigera kunskapsbanken"))
    form = _event_form(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.actor, **form.event_data())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Tillfället är skapat."))
            return HttpResponseRedirect(reverse("knowledge:event_detail", args=[event.public_id]))
    return _render(request, "knowledge/event_form.html", {"form": form, "event": None})


@member_required
@require_http_methods(["GET", "POST"])
def event_edit(request, public_id):
    view = _or_404(selectors.event_get, request.actor, public_id)
    if not view.may_manage:
        raise Http404
    event = view.event
    if request.method == "POST":
        form = _event_form(request, data=request.POST)
        if form.is_valid():
            try:
                services.event_update(
                    actor=request.actor,
                    event_id=event.public_id,
                    expected_version=form.cleaned_data["version"] or 0,
                    **form.event_data(),
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Tillfället är ändrat."))
                return HttpResponseRedirect(reverse("knowledge:event_detail", args=[public_id]))
    else:
        initial = {
            f: getattr(event, f)
            for f in (
                "title",
                "kind",
                "starts_at",
                "ends_at",
                "location",
                "description",
                "programme",
                "capacity",
                "evaluation_url",
                "version",
            )
        }
        initial["invited"] = [o.pk for o in view.invited]
        form = _event_form(request, initial=initial)
    return _render(request, "knowledge/event_form.html", {"form": form, "event": event})


@member_required
def event_detail(request, public_id):
    view = _or_404(selectors.event_get, request.actor, public_id)
    attendance = None
    if view.may_manage and view.has_started:
        attendance = AttendanceForm(
            initial={"attended": [str(r.public_id) for r in view.registrations if r.attended]},
            registrations=view.registrations,
        )
    return _render(
        request, "knowledge/event_detail.html", {"view": view, "attendance_form": attendance}
    )


def _event_action(request, public_id, action, success):
    try:
        action()
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return HttpResponseRedirect(reverse("knowledge:event_detail", args=[public_id]))


@member_required
@require_POST
def event_register(request, public_id):
    return _event_action(
        request,
        public_id,
        lambda: services.event_register(actor=request.actor, event_id=public_id),
        _("Du är anmäld."),
    )


@member_required
@require_POST
def event_unregister(request, public_id):
    return _event_action(
        request,
        public_id,
        lambda: services.event_unregister(actor=request.actor, event_id=public_id),
        _("Din anmälan är återtagen."),
    )


@member_required
@require_POST
def event_cancel(request, public_id):
    return _event_action(
        request,
        public_id,
        lambda: services.event_cancel(actor=request.actor, event_id=public_id),
        _("Tillfället är inställt."),
    )


@member_required
@require_POST
def event_attendance(request, public_id):
    view = _or_404(selectors.event_get, request.actor, public_id)
    form = AttendanceForm(request.POST, registrations=view.registrations)
    if not form.is_valid():
        messages.error(request, _("Välj bland de anmälda."))
        return HttpResponseRedirect(reverse("knowledge:event_detail", args=[public_id]))
    return _event_action(
        request,
        public_id,
        lambda: services.event_attendance_record(
            actor=request.actor, event_id=public_id, attended_ids=form.cleaned_data["attended"]
        ),
        _("Närvaron är sparad."),
    )


# Competence plans --------------------------------------------------------------------------
@member_required
@require_http_methods(["GET", "POST"])
def competence_list(request):
    form = CompetencePlanForm(request.POST or None)
    if request.method == "POST":
        if not services.may_manage_actor(request.actor):
            raise refuse(request.actor, _("att redigera kunskapsbanken"))
        if form.is_valid():
            try:
                plan = services.competence_plan_create(actor=request.actor, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Kompetensplanen är skapad."))
                return HttpResponseRedirect(
                    reverse("knowledge:competence_detail", args=[plan.public_id])
                )
    return _render(
        request,
        "knowledge/competence_list.html",
        {"plans": selectors.competence_plans(), "form": form},
    )


@member_required
@require_http_methods(["GET", "POST"])
def competence_detail(request, public_id):
    plan = _or_404(selectors.competence_plan_get, public_id)
    may_edit = (
        services.may_manage_actor(request.actor)
        and plan.organisation_id == request.actor.organisation_id
    )
    events = selectors.events_upcoming(request.actor)
    form = CompetenceItemForm(request.POST or None, events=events)
    if request.method == "POST":
        if not may_edit:
            raise Http404
        if form.is_valid():
            try:
                services.competence_item_add(
                    actor=request.actor,
                    plan_id=plan.public_id,
                    topic=form.cleaned_data["topic"],
                    target_group=form.cleaned_data["target_group"],
                    due=form.cleaned_data["due"],
                    event_id=form.cleaned_data["event"] or None,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Insatsen är tillagd."))
                return HttpResponseRedirect(
                    reverse("knowledge:competence_detail", args=[public_id])
                )
    return _render(
        request,
        "knowledge/competence_detail.html",
        {
            "plan": plan,
            "form": form,
            "may_edit": may_edit,
            "status_form": CompetenceStatusForm(),
        },
    )


@member_required
@require_POST
def competence_item_status(request, public_id, item_id):
    form = CompetenceStatusForm(request.POST)
    if form.is_valid():
        try:
            services.competence_item_status_set(
                actor=request.actor, item_id=item_id, status=form.cleaned_data["status"]
            )
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Statusen är ändrad."))
    return HttpResponseRedirect(reverse("knowledge:competence_detail", args=[public_id]))


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
