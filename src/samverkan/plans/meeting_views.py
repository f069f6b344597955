"""The coordinator's page for the next follow-up meeting (decision 0336): its time and
place, and every one set before. Thin: the rules and the audit are in ``meetings``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.core.errors import DomainError
from samverkan.core.forms import add_domain_error

from . import meetings
from .forms import FollowUpMeetingForm
from .views import _view


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_meeting(request, plan_id):
    view, response = _view(request, plan_id)
    if response:
        return response
    plan = view.plan
    status = 200
    if request.method == "POST":
        form = FollowUpMeetingForm(request.POST)
        if form.is_valid():
            try:
                meetings.follow_up_meeting_set(
                    actor=request.actor,
                    plan=plan,
                    meeting_at=form.cleaned_data["meeting_at"],
                    place=form.cleaned_data["place"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Uppföljningsmötet är bestämt."))
                return HttpResponseRedirect(reverse("plans:detail", args=[plan.public_id]))
        status = 422
    else:
        current = view.follow_up_meeting
        initial = None
        if current is not None:
            initial = {
                "meeting_at": timezone.localtime(current.meeting_at),
                "place": current.place,
            }
        form = FollowUpMeetingForm(initial=initial)
    return render(
        request,
        "plans/follow_up_meeting.html",
        {"nav": "children", "view": view, "plan": plan, "child": plan.child, "form": form},
        status=status,
    )
