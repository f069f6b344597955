"""A meeting's page (prepare, hold, close) and the forms on it: attendance, minutes,
closing, approval and correction, action items and their status, decisions on agenda
items, the evaluation."""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from samverkan.core.errors import DomainError, NotFound, StaleWrite
from samverkan.core.forms import add_domain_error
from samverkan.directory import selectors as directory

from . import selectors, services
from .forms import (
    ActionForm,
    ActionStatusForm,
    AttendanceForm,
    CorrectionForm,
    DecisionForm,
    EvaluationForm,
    MinutesForm,
)
from .views import _meeting_url, _not_found


def _meeting_context(request, view, **forms):
    meeting = view.meeting
    organisations = list(directory.organisation_choices())
    attending = {a.organisation_id for a in view.attendances}
    context = {
        "nav": "meetings",
        "view": view,
        "meeting": meeting,
        "forum": meeting.forum,
        "attendance_form": AttendanceForm(organisations=organisations),
        "invitable": [o for o in organisations if o.pk not in attending],
        "minutes_form": MinutesForm(
            initial={"minutes": meeting.minutes, "version": meeting.version}
        ),
        "action_form": ActionForm(
            organisations=[a.organisation for a in view.attendances],
            functions=meeting.forum.functions.all(),
        ),
        "correction_form": CorrectionForm(),
        "evaluation_form": EvaluationForm(),
        "status_form": ActionStatusForm(),
        "today": timezone.localdate(),
        "not_shown": selectors.NOT_SHOWN,
    }
    context.update(forms)
    return context


@login_required
def meeting_detail(request, meeting_id):
    try:
        view = selectors.meeting_get(request.actor, meeting_id)
    except NotFound as exc:
        raise _not_found(exc) from exc
    return render(request, "meetings/meeting_detail.html", _meeting_context(request, view))


def _meeting_post(request, meeting_id, call, success: str):
    """Run one service on a meeting; report the outcome and go back to the meeting."""
    try:
        meeting = selectors.meeting_for_change(meeting_id)
        call(meeting)
    except NotFound as exc:
        raise _not_found(exc) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return HttpResponseRedirect(reverse("meetings:meeting", args=[meeting_id]))


def _refused(request, meeting_id, **forms):
    """The meeting page again with a refused form as sent: what was typed and the
    reason at its field (a redirect would empty the form)."""
    try:
        view = selectors.meeting_get(request.actor, meeting_id)
    except NotFound as exc:
        raise _not_found(exc) from exc
    context = _meeting_context(request, view, **forms)
    context["refused"] = next(f for f in forms.values() if isinstance(f, django_forms.Form))
    return render(request, "meetings/meeting_detail.html", context)


def _meeting_form_post(request, meeting_id, form, slot, call, success: str):
    """Like ``_meeting_post`` for a form with fields: a refusal shows the form again."""
    try:
        meeting = selectors.meeting_for_change(meeting_id)
        call(meeting)
    except NotFound as exc:
        raise _not_found(exc) from exc
    except DomainError as exc:
        add_domain_error(form, exc)
        return _refused(request, meeting_id, **{slot: form})
    messages.success(request, success)
    return HttpResponseRedirect(reverse("meetings:meeting", args=[meeting_id]))


@login_required
@require_POST
def attendance(request, meeting_id):
    form = AttendanceForm(request.POST, organisations=directory.organisation_choices())
    if not form.is_valid():
        return _refused(request, meeting_id, attendance_form=form)
    present = {"yes": True, "no": False}.get(form.cleaned_data["present"])
    return _meeting_form_post(
        request,
        meeting_id,
        form,
        "attendance_form",
        lambda m: services.attendance_set(
            actor=request.actor,
            meeting=m,
            organisation_id=int(form.cleaned_data["organisation"]),
            present=present,
            participants=form.cleaned_data["participants"],
        ),
        gettext("Närvaron är registrerad."),
    )


@login_required
@require_POST
def minutes(request, meeting_id):
    """Save the minutes. Whatever goes wrong, what the user typed comes back: on a
    stale save (409) beside the newer saved text, so that nothing is lost."""
    form = MinutesForm(request.POST)
    status, theirs = 422, None
    if form.is_valid():
        try:
            services.minutes_save(
                actor=request.actor,
                meeting=selectors.meeting_for_change(meeting_id),
                minutes=form.cleaned_data["minutes"],
                version=form.cleaned_data["version"],
            )
        except NotFound as exc:
            raise _not_found(exc) from exc
        except StaleWrite as exc:
            status, theirs = 409, exc
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, gettext("Protokollet är sparat."))
            return HttpResponseRedirect(reverse("meetings:meeting", args=[meeting_id]))
    try:
        view = selectors.meeting_get(request.actor, meeting_id)
    except NotFound as exc:
        raise _not_found(exc) from exc
    if theirs is not None:
        # Saving again from here builds on the newer version the user now sees.
        form = MinutesForm(
            {"minutes": request.POST.get("minutes", ""), "version": view.meeting.version}
        )
        form.is_valid()
    context = _meeting_context(request, view, minutes_form=form)
    context["minutes_conflict"] = theirs
    return render(request, "meetings/meeting_detail.html", context, status=status)


@login_required
@require_POST
def close(request, meeting_id):
    cancelled = request.POST.get("cancelled") == "1"
    return _meeting_post(
        request,
        meeting_id,
        lambda m: services.meeting_close(actor=request.actor, meeting=m, cancelled=cancelled),
        gettext("Mötet är inställt.") if cancelled else gettext("Mötet är markerat som genomfört."),
    )


@login_required
@require_POST
def approve(request, meeting_id):
    return _meeting_post(
        request,
        meeting_id,
        lambda m: services.minutes_approve(actor=request.actor, meeting=m),
        gettext("Protokollet är justerat och låst."),
    )


@login_required
@require_POST
def correction(request, meeting_id):
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return _refused(request, meeting_id, correction_form=form)
    text = form.cleaned_data["text"]
    return _meeting_form_post(
        request,
        meeting_id,
        form,
        "correction_form",
        lambda m: services.correction_add(actor=request.actor, meeting=m, text=text),
        gettext("Rättelsen är tillagd."),
    )


@login_required
@require_POST
def action_new(request, meeting_id):
    form = ActionForm(
        request.POST,
        organisations=directory.organisation_choices(),
        functions=directory.function_choices(),
    )
    if not form.is_valid():
        return _refused(request, meeting_id, action_form=form)
    data = form.cleaned_data
    return _meeting_form_post(
        request,
        meeting_id,
        form,
        "action_form",
        lambda m: services.action_add(
            actor=request.actor,
            meeting=m,
            text=data["text"],
            responsible_organisation_id=int(data["responsible_organisation"]),
            responsible_function_code=data["responsible_function"],
            responsible_person=data["responsible_person"],
            due_date=data["due_date"],
        ),
        gettext("Åtgärden är tillagd."),
    )


@login_required
@require_POST
def action_status(request, action_id):
    try:
        action = selectors.action_for_change(action_id)
    except NotFound as exc:
        raise _not_found(exc) from exc
    form = ActionStatusForm(request.POST)
    back = request.POST.get("meeting") or str(action.meeting.public_id)
    if form.is_valid():
        try:
            services.action_set_status(
                actor=request.actor, action=action, status=form.cleaned_data["status"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext("Åtgärden är uppdaterad."))
    return HttpResponseRedirect(reverse("meetings:meeting", args=[back]))


@login_required
@require_POST
def item_decision(request, item_id):
    """Record an item's decision. Refused (empty, too long, the meeting locked): the
    meeting page again with the decision as typed and the reason at the field."""
    try:
        item = selectors.item_for_change(item_id)
    except NotFound as exc:
        raise _not_found(exc) from exc
    form = DecisionForm(request.POST, auto_id=f"decision-{item.public_id}-%s")
    if form.is_valid():
        try:
            services.item_decide(
                actor=request.actor, item=item, decision=form.cleaned_data["decision"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, gettext("Beslutet är antecknat."))
            return HttpResponseRedirect(_meeting_url(item.meeting))
    response = _refused(
        request, item.meeting.public_id, decision_form=form, decision_item=item.public_id
    )
    response.status_code = 422
    return response


@login_required
@require_POST
def evaluate(request, meeting_id):
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        return _refused(request, meeting_id, evaluation_form=form)
    return _meeting_form_post(
        request,
        meeting_id,
        form,
        "evaluation_form",
        lambda m: services.evaluation_submit(
            actor=request.actor,
            meeting=m,
            answers=form.answers(),
            comment=form.cleaned_data["comment"],
        ),
        gettext("Tack för din utvärdering."),
    )
