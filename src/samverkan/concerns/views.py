"""Report pages: Mina anmälningar, the intake dashboard (where ``index`` sends each),
a child's panel, the start page's card, and what the other pages share. Making a report
(professional, private person, oral by telephone) is in ``submission_views``, one report
(two views) and the handling steps in ``report_views``, feedback and the reporter's
additions in ``reporter_dialogue_views``, the three-party meeting and the evaluation in
``cooperation_views``; ``urls`` imports each."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.access import pipeline
from samverkan.audit.models import Action
from samverkan.core import paging
from samverkan.core.errors import NotFound
from samverkan.core.refusals import refuse
from samverkan.people import identity
from samverkan.people import selectors as people

from . import selectors, services


def _is_intake(actor) -> bool:
    return selectors.is_intake(actor)


def _view_or_404(actor, report_id, action=Action.READ):
    try:
        return selectors.report_get(actor, report_id, action=action)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _back(report_id):
    return HttpResponseRedirect(reverse("concerns:detail", args=[report_id]))


@login_required
def index(request):
    if _is_intake(request.actor):
        return HttpResponseRedirect(reverse("concerns:intake"))
    return HttpResponseRedirect(reverse("concerns:mine"))


@login_required
def mine(request):
    actor = request.actor
    if not pipeline.may_list(actor, "concerns.report"):
        raise refuse(actor, _("anmälningar"))
    return render(
        request,
        "concerns/mine.html",
        {
            "nav": "concerns",
            "views": selectors.reports_mine(
                actor, page=paging.page_number(request.GET.get("page"))
            ),
            "may_report": actor.organisation_type in services.REPORTING_TYPES,
        },
    )


@login_required
def intake(request):
    actor = request.actor
    if not _is_intake(actor):
        raise Http404
    # The live dashboard (htmx, every 20 s) asks with the stamp it shows: nothing has
    # changed, nothing is loaded (and nothing audited); else the table comes anew.
    stamp = selectors.intake_stamp(actor)
    live = request.GET.get("live") == "1"
    if live and request.GET.get("stamp") == stamp:
        return HttpResponse(status=204)
    page = selectors.intake_dashboard(actor, page=paging.page_number(request.GET.get("page")))
    return render(
        request,
        "concerns/_intake_live.html" if live else "concerns/intake.html",
        {
            "stamp": stamp,
            "nav": "concerns",
            "views": page.items,
            "page": page,
            "overdue": page.extra["overdue"],
            "due_soon": page.extra["due_soon"],
            "summary": selectors.evaluation_summary(actor),
        },
    )


@login_required
def child_panel(request, child_id):
    """The child overview panel: reports about the child the actor may see."""
    actor = request.actor
    try:
        child = people.child_get(actor, child_id).child
    except NotFound as exc:
        raise Http404(exc.message) from exc
    context = {
        "child": child,
        "views": selectors.reports_for_child(actor, child),
        "may_report": actor.organisation_type in services.REPORTING_TYPES,
        "age": identity.age_on(child.date_of_birth),
    }
    return render(request, "concerns/_child_panel.html", context)


@login_required
def home_card(request):
    """The start page's card (loaded with htmx): where to go. What waits for the reader
    is in the inbox (notify)."""
    actor = request.actor
    if not actor.has_membership:
        raise Http404
    return render(
        request,
        "concerns/_home_card.html",
        {"is_intake": _is_intake(actor)},
    )
