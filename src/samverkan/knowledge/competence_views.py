"""Competence plans: the list, a plan's page, an activity's status."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.core.errors import DomainError, NotFound
from samverkan.core.forms import add_domain_error
from samverkan.core.refusals import refuse

from . import selectors, services
from .forms import CompetenceItemForm, CompetencePlanForm, CompetenceStatusForm
from .views import _or_404, _render, member_required


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
