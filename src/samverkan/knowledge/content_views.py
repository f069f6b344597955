"""Shared content: actors, concepts, factors, methods and suggestions (lists and
pages), and creating, editing and the history of an entry."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.core.errors import DomainError
from samverkan.core.forms import add_domain_error
from samverkan.core.refusals import refuse

from . import kinds, selectors, services
from .forms import EntryForm
from .views import _or_404, _render, member_required


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
