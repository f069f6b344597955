"""Escalations: the list with a new escalation, and one escalation with its steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.access import pipeline
from samverkan.core.errors import DomainError, NotFound
from samverkan.core.forms import add_domain_error
from samverkan.core.refusals import refuse
from samverkan.directory import selectors as directory
from samverkan.people import selectors as people

from . import selectors, services
from .forms import EscalationForm, StepForm
from .views import _identifying, _not_found


@login_required
@require_http_methods(["GET", "POST"])
def escalations(request):
    actor = request.actor
    if not pipeline.may_list(actor, "people.child"):
        raise refuse(actor, _("eskaleringar"))
    organisations = [o for o in directory.organisation_choices() if o.pk != actor.organisation_id]
    children = (
        people.child_choices(actor) if request.method == "POST" or request.GET.get("ny") else []
    )
    child_choices = [(str(c.public_id), c.full_name) for c in children]
    form = EscalationForm(organisations=organisations, child_choices=child_choices)
    findings = []
    if request.method == "POST":
        form = EscalationForm(
            request.POST, organisations=organisations, child_choices=child_choices
        )
        if form.is_valid():
            data = form.cleaned_data
            child = next((c for c in children if str(c.public_id) == data["child"]), None)
            try:
                escalation = services.escalation_open(
                    actor=actor,
                    title=data["title"],
                    description=data["description"],
                    counterpart_organisation_id=int(data["counterpart"]),
                    child=child,
                    reviewed=data["reviewed"],
                )
            except services.IdentifyingText as exc:
                findings = _identifying(form, exc)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, gettext("Eskaleringen är öppnad."))
                return HttpResponseRedirect(
                    reverse("meetings:escalation", args=[escalation.public_id])
                )
    return render(
        request,
        "meetings/escalations.html",
        {
            "nav": "meetings",
            "escalations": selectors.escalation_list(actor),
            "overdue_steps": selectors.overdue_steps(actor),
            "form": form,
            "findings": findings,
            "show_reviewed": any(f["warning"] for f in findings),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def escalation_detail(request, escalation_id):
    actor = request.actor
    try:
        escalation = selectors.escalation_get(actor, escalation_id)
    except NotFound as exc:
        raise _not_found(exc) from exc
    steps = list(escalation.steps.all())
    current = next((s for s in steps if s.decided_at is None), None)
    form = StepForm()
    if request.method == "POST" and current is not None:
        form = StepForm(request.POST)
        if form.is_valid():
            try:
                services.escalation_step_record(actor=actor, step=current, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, gettext("Steget är registrerat."))
                return HttpResponseRedirect(
                    reverse("meetings:escalation", args=[escalation.public_id])
                )
    return render(
        request,
        "meetings/escalation_detail.html",
        {
            "nav": "meetings",
            "escalation": escalation,
            "steps": steps,
            "current": current,
            "may_record": current is not None
            and current.owner_organisation_id == actor.organisation_id,
            "form": form,
            "today": timezone.localdate(),
        },
    )
