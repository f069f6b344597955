"""Strategy plan pages (/strategi/). Every member of staff may read a plan; the
strategy group edits it; an activity's owner may change its status."""

from __future__ import annotations

from csp.decorators import csp
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.audit.models import Action
from samverkan.core.errors import DomainError, NotFound, PermissionDenied
from samverkan.core.forms import add_domain_error

from . import charts, plan_edit, plan_selectors, plan_services, reports
from .plan_forms import (
    ActivityEditForm,
    ActivityForm,
    ActivityStatusForm,
    FocusAreaForm,
    GoalForm,
    IndicatorForm,
    ItemEditForm,
    PlanForm,
    ReportForm,
    ValueForm,
)
from .views import member_required

NAV = "governance"


def _plan(request, plan_id):
    try:
        return plan_selectors.plan_get(request.actor, plan_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@member_required
@require_http_methods(["GET", "POST"])
def plan_list(request):
    may_edit = plan_selectors.may_edit(request.actor)
    form = PlanForm(request.POST or None) if may_edit else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                plan = plan_services.plan_create(actor=request.actor, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return HttpResponseRedirect(reverse("strategy:plan", args=[plan.public_id]))
    return render(
        request,
        "governance/plan_list.html",
        {
            "nav": NAV,
            "plans": plan_selectors.plan_list(request.actor),
            "form": form,
            "may_edit": may_edit,
        },
    )


def _plan_context(request, plan, **forms):
    may_edit = plan_selectors.may_edit(request.actor)
    indicators = [(i, plan_selectors.series(i)) for i in plan.indicators.all()]
    activities = [
        (a, plan_services.may_change_activity(request.actor, a))
        for area in plan.focus_areas.all()
        for a in area.activities.all()
    ]
    context = {
        "nav": NAV,
        "plan": plan,
        "indicators": indicators,
        "may_change": {a.pk for a, may in activities if may},
        "status_form": ActivityStatusForm(),
        "may_edit": may_edit,
        "reports": reports.reports_of(plan),
        "history": plan_edit.history(plan) if may_edit else [],
    }
    if may_edit:
        context.update(
            {
                "goal_form": forms.get("goal") or GoalForm(prefix="goal"),
                "area_form": forms.get("area") or FocusAreaForm(prefix="area"),
                "activity_form": forms.get("activity") or ActivityForm(prefix="act", plan=plan),
                "indicator_form": forms.get("indicator") or IndicatorForm(prefix="ind", plan=plan),
                "report_form": forms.get("report") or ReportForm(prefix="rep"),
            }
        )
    return context


@member_required
def plan_detail(request, plan_id):
    plan = _plan(request, plan_id)
    return render(request, "governance/plan_detail.html", _plan_context(request, plan))


@member_required
@require_POST
def plan_add(request, plan_id, what):
    plan = _plan(request, plan_id)
    if not plan_selectors.may_edit(request.actor):
        raise Http404
    actor = request.actor
    if what == "mal":
        form = GoalForm(request.POST, prefix="goal")
        key = "goal"
        call = lambda d: plan_services.goal_add(actor=actor, plan=plan, **d)  # noqa: E731
    elif what == "fokusomrade":
        form = FocusAreaForm(request.POST, prefix="area")
        key = "area"
        call = lambda d: plan_services.focus_area_add(actor=actor, plan=plan, **d)  # noqa: E731
    elif what == "aktivitet":
        form = ActivityForm(request.POST, prefix="act", plan=plan)
        key = "activity"
        areas = {str(a.public_id): a for a in plan.focus_areas.all()}

        def call(d):
            area = areas[d.pop("focus_area")]
            return plan_services.activity_add(actor=actor, focus_area=area, **d)

    elif what == "indikator":
        form = IndicatorForm(request.POST, prefix="ind", plan=plan)
        key = "indicator"
        goals = {str(g.public_id): g for g in plan.goals.all()}

        def call(d):
            d["goal"] = goals.get(d["goal"])
            return plan_services.indicator_add(actor=actor, plan=plan, **d)

    elif what == "rapport":
        form = ReportForm(request.POST, prefix="rep")
        key = "report"

        def call(d):
            return reports.report_create(actor=actor, plan=plan, **d)

    else:
        raise Http404
    if form.is_valid():
        try:
            call(dict(form.cleaned_data))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, gettext("Sparat."))
            return HttpResponseRedirect(reverse("strategy:plan", args=[plan.public_id]))
    return render(
        request,
        "governance/plan_detail.html",
        _plan_context(request, plan, **{key: form}),
        status=422,
    )


@member_required
@require_POST
def activity_status(request, plan_id, activity_id):
    plan = _plan(request, plan_id)
    form = ActivityStatusForm(request.POST)
    if form.is_valid():
        try:
            plan_services.activity_set_status(
                actor=request.actor, activity_id=activity_id, status=form.cleaned_data["status"]
            )
        except (NotFound, PermissionDenied) as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext("Status är ändrad."))
    return HttpResponseRedirect(reverse("strategy:plan", args=[plan.public_id]) + "#aktiviteter")


@member_required
@require_http_methods(["GET", "POST"])
def indicator_detail(request, plan_id, indicator_id):
    plan = _plan(request, plan_id)
    try:
        indicator = plan_selectors.indicator_get(request.actor, plan, indicator_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    may_enter = plan_selectors.may_edit(request.actor) and not indicator.definition
    form = ValueForm(request.POST or None) if may_enter else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                plan_services.indicator_value_set(
                    actor=request.actor, indicator=indicator, **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = 422
            else:
                messages.success(request, gettext("Värdet är sparat."))
                return HttpResponseRedirect(request.path)
        else:
            status = 422
    series = plan_selectors.series(indicator)
    return render(
        request,
        "governance/indicator_detail.html",
        {
            "nav": NAV,
            "plan": plan,
            "indicator": indicator,
            "series": series,
            "form": form,
        },
        status=status,
    )


# The chart is an image with its own, narrower policy: pygal's inline styles are
# allowed inside it, everything else is refused (decision 0130).
@member_required
@csp({"default-src": ["'none'"], "style-src": ["'unsafe-inline'"], "frame-ancestors": ["'none'"]})
def indicator_chart(request, plan_id, indicator_id):
    plan = _plan(request, plan_id)
    try:
        indicator = plan_selectors.indicator_get(request.actor, plan, indicator_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    response = HttpResponse(
        charts.trend_svg(plan_selectors.series(indicator)), content_type="image/svg+xml"
    )
    response["Content-Disposition"] = "inline"
    return response


def _report(request, plan, report_id, action=Action.READ):
    try:
        return reports.report_get(request.actor, plan, report_id, action=action)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _report_context(request, plan, report):
    return {
        "nav": NAV,
        "plan": plan,
        "report": report,
        "blocks": reports.analysis_blocks(report),
        "printed_at": timezone.now(),
        "actor": request.actor,
    }


@member_required
def report_detail(request, plan_id, report_id):
    plan = _plan(request, plan_id)
    report = _report(request, plan, report_id)
    return render(request, "governance/report_detail.html", _report_context(request, plan, report))


@member_required
def report_pdf(request, plan_id, report_id):
    from weasyprint import HTML

    plan = _plan(request, plan_id)
    report = _report(request, plan, report_id, Action.PRINT)
    html = render_to_string("governance/report_pdf.html", _report_context(request, plan, report))
    document = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(pdf_tags=True)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rapport-{str(report.public_id)[:8]}.pdf"'
    return response


@member_required
def report_xlsx(request, plan_id, report_id):
    plan = _plan(request, plan_id)
    report = _report(request, plan, report_id, Action.EXPORT)
    response = HttpResponse(
        reports.workbook(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="rapport-{str(report.public_id)[:8]}.xlsx"'
    )
    return response


def _initial(item) -> dict:
    initial = {"title": item.title, "description": item.description, "version": item.version}
    if hasattr(item, "focus_area_id"):
        initial.update(
            {
                "focus_area": str(item.focus_area.public_id),
                "owner_organisation": item.owner_organisation_id,
                "owner_function": item.owner_function_id,
                "due": item.due,
                "status": item.status,
            }
        )
    return initial


@member_required
@require_http_methods(["GET", "POST"])
def item_edit(request, plan_id, kind, item_id):
    """Change or remove a goal, focus area or activity (the strategy group)."""
    plan = _plan(request, plan_id)
    if not plan_selectors.may_edit(request.actor):
        raise Http404
    try:
        item = plan_edit.item_get(plan, kind, item_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    activity = kind == "aktivitet"
    form_class = ActivityEditForm if activity else ItemEditForm
    extra = {"plan": plan} if activity else {}
    form = form_class(request.POST or None, initial=_initial(item), **extra)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if "remove" in request.POST:
                    plan_edit.item_remove(actor=request.actor, item=item, version=data["version"])
                else:
                    if activity:
                        areas = {str(a.public_id): a for a in plan.focus_areas.all()}
                        data["focus_area"] = areas[data["focus_area"]]
                    plan_edit.item_update(actor=request.actor, item=item, **data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, gettext("Sparat."))
                return HttpResponseRedirect(reverse("strategy:plan", args=[plan.public_id]))
        status = 422
    return render(
        request,
        "governance/plan_item_form.html",
        {"nav": NAV, "plan": plan, "item": item, "form": form, "kind": kind},
        status=status,
    )
