"""SIP pages: the child's plans (also the overview panel), start and call, the plan
with its versions, editing with the version check, preparation, acknowledgement,
follow-up, closing, comparison, PDF, agenda and calendar invitation. Thin: every rule
is in services.py and selectors.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.access import pipeline
from samverkan.audit.models import Action
from samverkan.core import bounds, paging
from samverkan.core.errors import DomainError, NotFound, PermissionDenied, StaleWrite
from samverkan.core.forms import add_domain_error
from samverkan.core.refusals import refuse
from samverkan.directory import selectors as directory
from samverkan.knowledge import selectors as knowledge
from samverkan.people import selectors as people

from . import calendar, pdf, selectors, services
from .forms import (
    AcknowledgeForm,
    CloseForm,
    EffortFormSet,
    FollowUpForm,
    OtherPlanForm,
    PlanForm,
    PrepareForm,
    StartForm,
)


def _child(actor, child_id):
    try:
        return people.child_get(actor, child_id).child
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _withheld(request, exc: selectors.PlanWithheld):
    return render(
        request,
        "plans/withheld.html",
        {"nav": "children", "plan": exc.plan, "reason": exc.message},
        status=403,
    )


def _view(request, plan_id, action=Action.READ):
    """The plan, or a response: 403 'exists but withheld' for a participant without a
    ground now, 404 for everybody else."""
    try:
        return selectors.plan_get(request.actor, plan_id, action=action), None
    except selectors.PlanWithheld as exc:
        return None, _withheld(request, exc)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def index(request):
    """The SIPs the actor's organisation takes part in."""
    if not pipeline.may_list(request.actor, "plans.plan"):
        raise refuse(request.actor, _("samordnade individuella planer"))
    return render(
        request,
        "plans/index.html",
        {
            "nav": "plans",
            "plans": selectors.plans_for_actor(
                request.actor, page=paging.page_number(request.GET.get("page"))
            ),
        },
    )


@login_required
def child_plans(request, child_id):
    """The child's SIPs and other plans. Also the overview panel."""
    actor = request.actor
    child = _child(actor, child_id)
    context = {
        "nav": "children",
        "child": child,
        "plans": selectors.plans_for_child(actor, child),
        "other_plans": selectors.other_plans_for_child(actor, child),
        "may_start": pipeline.may_list(actor, "plans.plan"),
        "other_form": OtherPlanForm() if selectors.may_add_other_plan(actor, child) else None,
    }
    if request.GET.get("fragment") or request.headers.get("HX-Request"):
        return render(request, "plans/_child_panel.html", context)
    return render(request, "plans/child_plans.html", context)


@login_required
@require_POST
def other_plan_add(request, child_id):
    actor = request.actor
    child = _child(actor, child_id)
    form = OtherPlanForm(request.POST)
    if form.is_valid():
        try:
            services.other_plan_add(
                actor=actor,
                child=people.child_for_change(actor, child.public_id),
                kind=form.cleaned_data["kind"],
                purpose=form.cleaned_data["purpose"],
                valid_until=form.cleaned_data["valid_until"],
            )
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Planen är registrerad."))
    else:
        messages.error(request, _("Välj slags plan och skriv dess syfte."))
    return HttpResponseRedirect(reverse("plans:child_plans", args=[child.public_id]))


@login_required
@require_http_methods(["GET", "POST"])
def start(request, child_id):
    actor = request.actor
    if not pipeline.may_list(actor, "plans.plan"):
        raise refuse(actor, _("samordnade individuella planer"))
    child = _child(actor, child_id)
    organisations = list(directory.organisation_choices())
    form_kwargs = {"organisations": organisations, "own_organisation_id": actor.organisation_id}
    checks = None
    if request.method == "POST":
        form = StartForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = services.plan_start(
                    actor=actor,
                    child=child,
                    called_organisation_ids=data["called"],
                    purpose=data["purpose"],
                    question=data["question"],
                    long_term_goal=data["long_term_goal"],
                    meeting_at=data["meeting_at"],
                    meeting_place=data["meeting_place"],
                    video_link=data["video_link"],
                    invited=data["invited"].splitlines(),
                )
            except services.ConsentMissing as exc:
                checks = exc.checks
                form.add_error(
                    "called",
                    _(
                        "Samtycke för SIP saknas för en eller flera av de kallade verksamheterna. "
                        "Se vad som saknas nedan."
                    ),
                )
            except NotFound as exc:
                raise Http404(exc.message) from exc
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("SIP:en är startad och verksamheterna är kallade."))
                return HttpResponseRedirect(reverse("plans:detail", args=[plan.public_id]))
    else:
        form = StartForm(**form_kwargs)
    org_types = sorted({o.org_type for o in organisations if o.pk != actor.organisation_id})
    return render(
        request,
        "plans/start.html",
        {
            "nav": "children",
            "child": child,
            "form": form,
            "checks": checks,
            "org_types": org_types,
        },
    )


@login_required
def detail(request, plan_id):
    actor = request.actor
    view, response = _view(request, plan_id)
    if response:
        return response
    own_link = next(
        (o for o in view.organisations if o.organisation_id == actor.organisation_id), None
    )
    return render(
        request,
        "plans/detail.html",
        {
            "nav": "children",
            "view": view,
            "plan": view.plan,
            "child": view.plan.child,
            "versions": selectors.versions(view.plan),
            "own_link": own_link,
            "ack_form": AcknowledgeForm(units=selectors.units_of(actor.organisation_id))
            if own_link and not own_link.is_starter
            else None,
            "close_form": CloseForm() if view.plan.status == "active" else None,
        },
    )


def _plan_forms(plan, data=None, initial=None, efforts_initial=None):
    organisations = [link.organisation for link in plan.organisations.all()]
    form = PlanForm(
        data,
        initial=initial,
        organisations=organisations,
        coordinators=selectors.coordinator_choices(plan),
        factor_choices=knowledge.factor_choices(),
    )
    formset = EffortFormSet(
        data,
        initial=efforts_initial,
        prefix="effort",
        form_kwargs={"organisations": organisations},
    )
    return form, formset


def _initial(view):
    c = view.content
    initial = {
        "version": view.plan.version,
        "needs": "\n".join(c.get("needs", [])),
        "long_term_goal": c.get("long_term_goal") or view.plan.long_term_goal,
        "short_term_goals": "\n".join(c.get("short_term_goals", [])),
        "others_do": c.get("others_do", ""),
        "responsible_organisation": c.get("responsible_organisation_id")
        or view.plan.started_by_organisation_id,
        "coordinator": c.get("coordinator_user_id"),
        "participants": c.get("participants", ""),
        "disagreements": c.get("disagreements", ""),
        "follow_up_on": c.get("follow_up_on") or None,
        "child_words": c.get("child_words", ""),
        "factors": [t.factor.code for t in view.factors],
    }
    efforts = [
        {
            "key": e["key"],
            "title": e["title"],
            "organisation": e["organisation_id"],
            "responsible": e["responsible"],
            "starts_on": e.get("starts_on") or None,
            "ends_on": e.get("ends_on") or None,
            "status": e["status"],
        }
        for e in c.get("efforts", [])
    ]
    return initial, efforts


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, plan_id):
    """Make or change the plan. A save based on an older version is refused with 409;
    the form comes back with everything the user wrote."""
    actor = request.actor
    view, response = _view(request, plan_id)
    if response:
        return response
    plan = view.plan
    status = 200
    conflict = None
    if request.method == "POST":
        form, formset = _plan_forms(plan, request.POST)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            efforts = [
                services.EffortInput(
                    title=f["title"],
                    organisation_id=f["organisation"],
                    responsible=f["responsible"],
                    starts_on=f["starts_on"],
                    ends_on=f["ends_on"],
                    status=f["status"] or "not_started",
                    key=f["key"],
                )
                for f in formset.cleaned_data
                if f and f.get("title")
            ]
            try:
                saved = services.plan_save(
                    actor=actor,
                    plan=selectors.plan_for_change(actor, plan.public_id),
                    expected_version=data["version"],
                    needs=data["needs"].splitlines(),
                    long_term_goal=data["long_term_goal"],
                    short_term_goals=data["short_term_goals"].splitlines(),
                    efforts=efforts,
                    others_do=data["others_do"],
                    responsible_organisation_id=data["responsible_organisation"],
                    coordinator_user_id=data["coordinator"],
                    participants=data["participants"],
                    disagreements=data["disagreements"],
                    follow_up_on=data["follow_up_on"],
                    child_words=data["child_words"],
                    factor_codes=data["factors"],
                    comment=data["comment"],
                )
            except StaleWrite as exc:
                status = 409
                conflict = {"message": exc.message, "theirs": plan.version, "mine": data["version"]}
            except (PermissionDenied, NotFound) as exc:
                messages.error(request, exc.message)
                return HttpResponseRedirect(reverse("plans:detail", args=[plan.public_id]))
            except services.PlanIncomplete as exc:
                for name, message in exc.missing:
                    form.add_error(name if name in form.fields else None, message)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                if saved.version != data["version"]:
                    messages.success(request, _("Planen är sparad som en ny version."))
                elif set(data["factors"]) != {t.factor.code for t in view.factors}:
                    messages.success(request, _("Risk- och skyddsfaktorerna är sparade."))
                else:
                    messages.info(request, services.UNCHANGED)
                return HttpResponseRedirect(reverse("plans:detail", args=[plan.public_id]))
    else:
        initial, efforts_initial = _initial(view)
        form, formset = _plan_forms(plan, initial=initial, efforts_initial=efforts_initial)
    return render(
        request,
        "plans/edit.html",
        {
            "nav": "children",
            "view": view,
            "plan": plan,
            "child": plan.child,
            "form": form,
            "formset": formset,
            "conflict": conflict,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def prepare(request, plan_id):
    actor = request.actor
    view, response = _view(request, plan_id)
    if response:
        return response
    plan = view.plan
    if request.method == "POST":
        form = PrepareForm(request.POST)
        if form.is_valid():
            try:
                services.plan_prepare(
                    actor=actor,
                    plan=plan,
                    important_to_child=form.cleaned_data["important_to_child"],
                    important_to_guardians=form.cleaned_data["important_to_guardians"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Förberedelsen är sparad."))
                return HttpResponseRedirect(reverse("plans:detail", args=[plan.public_id]))
    else:
        form = PrepareForm(
            initial={
                "important_to_child": plan.important_to_child,
                "important_to_guardians": plan.important_to_guardians,
            }
        )
    return render(
        request,
        "plans/prepare.html",
        {"nav": "children", "plan": plan, "child": plan.child, "form": form},
    )


@login_required
@require_POST
def acknowledge(request, plan_id):
    actor = request.actor
    view, response = _view(request, plan_id)
    if response:
        return response
    form = AcknowledgeForm(request.POST, units=selectors.units_of(actor.organisation_id))
    if form.is_valid():
        try:
            services.plan_acknowledge(
                actor=actor,
                plan=view.plan,
                unit_id=form.cleaned_data["unit"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Kallelsen är bekräftad."))
    else:
        messages.error(request, _("Välj en enhet i din egen verksamhet."))
    if request.POST.get("next") == "inbox":
        return HttpResponseRedirect(reverse("notify:inbox"))
    return HttpResponseRedirect(reverse("plans:detail", args=[view.plan.public_id]))


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request, plan_id):
    actor = request.actor
    view, response = _view(request, plan_id)
    if response:
        return response
    plan = view.plan
    if request.method == "POST":
        form = FollowUpForm(request.POST, efforts=view.efforts)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.followup_record(
                    actor=actor,
                    plan=plan,
                    held_on=data["held_on"],
                    assessments=[
                        services.AssessmentInput(
                            effort_key=e["key"],
                            status=data[f"status_{e['key']}"],
                            effect=data[f"effect_{e['key']}"],
                        )
                        for e in view.efforts
                    ],
                    note=data["note"],
                    next_follow_up_on=data["next_follow_up_on"],
                )
            except DomainError as exc:
                if exc.code != "unchanged":
                    add_domain_error(form, exc)
                else:
                    messages.info(request, exc.message)
                    return HttpResponseRedirect(reverse("plans:detail", args=[plan.public_id]))
            else:
                messages.success(request, _("Uppföljningen är registrerad."))
                return HttpResponseRedirect(reverse("plans:detail", args=[plan.public_id]))
    else:
        form = FollowUpForm(initial={"held_on": timezone.localdate()}, efforts=view.efforts)
    return render(
        request,
        "plans/follow_up.html",
        {"nav": "children", "view": view, "plan": plan, "child": plan.child, "form": form},
    )


@login_required
@require_POST
def close(request, plan_id):
    actor = request.actor
    view, response = _view(request, plan_id)
    if response:
        return response
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.plan_close(actor=actor, plan=view.plan, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Planen är avslutad."))
    else:
        messages.error(request, _("Skriv varför planen avslutas."))
    return HttpResponseRedirect(reverse("plans:detail", args=[view.plan.public_id]))


@login_required
def compare(request, plan_id):
    older = bounds.parse_int(request.GET.get("a"), low=1)
    newer = bounds.parse_int(request.GET.get("b"), low=1)
    if older is None or newer is None:  # not a version number: no such version
        raise Http404("Versionen finns inte.")
    try:
        comparison = selectors.version_compare(request.actor, plan_id, older, newer)
    except selectors.PlanWithheld as exc:
        return _withheld(request, exc)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    plan = comparison.view.plan
    return render(
        request,
        "plans/compare.html",
        {"nav": "children", "c": comparison, "plan": plan, "child": plan.child},
    )


def _print_context(view, actor):
    return {
        "view": view,
        "plan": view.plan,
        "child": view.plan.child,
        "printed_at": timezone.now(),
        "actor": actor,
    }


@login_required
def plan_pdf(request, plan_id):
    """The plan as a PDF for the child, the family and every participant."""
    view, response = _view(request, plan_id, action=Action.PRINT)
    if response:
        return response
    body = pdf.plan_pdf(view, request.actor, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.filename(view.plan)}"'
    return response


@login_required
def agenda(request, plan_id):
    """The meeting agenda (Mötescirkeln): the person's own question first, a round of
    all participants, agreements, follow-up."""
    view, response = _view(request, plan_id, action=Action.PRINT)
    if response:
        return response
    return render(request, "plans/agenda.html", _print_context(view, request.actor))


@login_required
def invitation_ics(request, plan_id):
    view, response = _view(request, plan_id, action=Action.EXPORT)
    if response:
        return response
    if view.plan.meeting_at is None and view.follow_up_meeting is None:
        raise Http404(_("Mötet har ingen tid än."))
    body = calendar.invitation(view, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sip-{view.plan.short_id}.ics"'
    return response


@login_required
def home_card(request):
    """The start page's block (loaded with htmx): follow-ups the user coordinates that
    are due soon or overdue."""
    actor = request.actor
    if not actor.has_membership:
        raise Http404
    return render(
        request, "plans/_home_card.html", {"items": selectors.coordinator_follow_ups(actor)}
    )
