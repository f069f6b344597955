"""The handover pages: send a packet when a child moves (from the child overview),
read it (sender and receiver), acknowledge it (receiver), and the overview panel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.core.errors import DomainError, NotFound
from samverkan.core.forms import add_domain_error
from samverkan.directory import selectors as directory
from samverkan.legal import catalogue
from samverkan.legal import organisations as legal_organisations
from samverkan.people import selectors as people
from samverkan.plans import copies as plan_copies

from . import kinds, policies, selectors, services
from .forms import PacketForm, RecipientForm, RefusalForm


def _child(actor, child_id):
    try:
        return people.child_get(actor, child_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _may_send(actor, view) -> bool:
    return policies.may_send(actor, view)


@login_required
def child_handovers(request, child_id):
    """The handovers about the child that the viewer's organisation sent or received
    (the overview panel, and a page)."""
    actor = request.actor
    view = _child(actor, child_id)
    context = {
        "nav": "children",
        "child": view.child,
        "handovers": selectors.handovers_for_child(actor, view.child),
        "may_send": _may_send(actor, view),
    }
    if request.GET.get("fragment") or request.headers.get("HX-Request"):
        return render(request, "handover/_child_panel.html", context)
    return render(request, "handover/child_handovers.html", context)


def _choice(options, code):
    return next((o for o in options if o.code == code), None)


@login_required
@require_http_methods(["GET", "POST"])
def new(request, child_id):
    actor = request.actor
    view = _child(actor, child_id)
    if not _may_send(actor, view):
        raise Http404(
            _("Bara en verksamhet med ett pågående ärende med barnet kan lämna över det.")
        )
    ask = RecipientForm(request.GET or None, own_organisation_id=actor.organisation_id)
    context = {"nav": "children", "child": view.child, "ask": ask}
    if not ask.is_valid():
        if request.method == "POST":
            raise Http404
        return render(request, "handover/new.html", context)
    to_id = ask.cleaned_data["till"]
    types = legal_organisations.kinds(actor.organisation_id, to_id)
    options = kinds.for_types(types[actor.organisation_id].org_type, types[to_id].org_type)
    context.update({"to_name": directory.organisation_name(to_id), "kinds": options})
    kind = _choice(options, request.GET.get("slag", ""))
    if kind is None and len(options) == 1:
        kind = options[0]
    if kind is None:
        if request.method == "POST":
            raise Http404
        return render(request, "handover/new.html", context)
    current = catalogue.load()
    grounds = [current.get(code) for code in kind.grounds]
    context.update({"kind": kind, "grounds": grounds, "query": f"till={to_id}&slag={kind.code}"})
    ground = _choice(grounds, request.GET.get("grund", ""))
    if ground is None:
        if request.method == "POST":
            raise Http404
        return render(request, "handover/new.html", context)
    carried, not_carried = selectors.categories_for(kind, ground)
    # A copy of a SIP is offered only where its category may travel on this ground.
    carries_plans = plan_copies.CATEGORY in {code for code, _name in carried}
    form = PacketForm(
        request.POST if request.method == "POST" else None,
        kind=kind,
        ground=ground,
        carried=carried,
        attachable=plan_copies.attachable(actor, view.child) if carries_plans else (),
    )
    context.update({"ground": ground, "form": form, "not_carried": not_carried})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            handover = services.handover_send(
                actor=actor,
                child_view=view,
                to_organisation_id=to_id,
                kind_code=kind.code,
                ground_code=ground.code,
                items=[
                    services.Item(code, data.get(f"item_{code}", "")) for code, _name in carried
                ],
                confirmed=data.get("conditions", []),
                guardian_notice=data.get("guardian_notice", ""),
                guardian_notice_note=data.get("guardian_notice_note", ""),
                attached=data.get("attached", []),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Överlämningen är skickad och loggad."))
            return HttpResponseRedirect(reverse("handover:detail", args=[handover.public_id]))
    return render(request, "handover/new.html", context)


def _detail(request, handover_id, refusal=None, status=200):
    try:
        view = selectors.handover_get(request.actor, handover_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    context = {"nav": "children", "view": view, "refusal": refusal or RefusalForm()}
    return render(request, "handover/detail.html", context, status=status)


@login_required
def detail(request, handover_id):
    return _detail(request, handover_id)


@login_required
@require_POST
def refuse(request, handover_id):
    """The receiver sends the packet back with a reason; shown again with the reason
    kept (422) when it is missing or too long."""
    form = RefusalForm(request.POST)
    if form.is_valid():
        try:
            services.handover_refuse(
                actor=request.actor, public_id=handover_id, reason=form.cleaned_data["reason"]
            )
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("Överlämningen är avvisad. Avsändaren har fått skälet i sin inkorg."),
            )
            return HttpResponseRedirect(reverse("notify:inbox"))
    return _detail(request, handover_id, refusal=form, status=422)


@login_required
@require_POST
def receive(request, handover_id):
    try:
        services.handover_receive(actor=request.actor, public_id=handover_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Överlämningen är kvitterad. Barnet finns nu i din verksamhets ärenden."),
        )
    return HttpResponseRedirect(reverse("handover:detail", args=[handover_id]))
