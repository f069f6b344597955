"""Events (mötesplatser): the list, creating and editing, an event's page,
registering and unregistering, cancelling, attendance."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.core import paging
from samverkan.core.errors import DomainError, NotFound
from samverkan.core.forms import add_domain_error
from samverkan.core.refusals import refuse
from samverkan.directory import selectors as directory

from . import selectors, services
from .forms import AttendanceForm, EventForm
from .views import _or_404, _render, member_required


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
