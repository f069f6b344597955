"""Forum pages: the overview (my forums, meetings, action items, overdue escalation
steps), a forum with its meetings and follow-up, a meeting (prepare, hold, close),
agenda items, escalations, and the calendar feeds."""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.access import pipeline
from samverkan.core.errors import DomainError, NotFound, StaleWrite
from samverkan.core.forms import add_domain_error
from samverkan.core.refusals import refuse
from samverkan.directory import selectors as directory
from samverkan.people import selectors as people

from . import deidentify, ical, selectors, services
from .forms import (
    ActionForm,
    ActionStatusForm,
    AttendanceForm,
    BookForm,
    CorrectionForm,
    DecisionForm,
    EscalationForm,
    EvaluationForm,
    ForumForm,
    ItemForm,
    MinutesForm,
    StepForm,
)
from .models import ItemKind


def _not_found(exc: NotFound):
    return Http404(exc.message)


def _meeting_url(meeting) -> str:
    return reverse("meetings:meeting", args=[meeting.public_id])


@login_required
def index(request):
    actor = request.actor
    return render(
        request,
        "meetings/index.html",
        {
            "nav": "meetings",
            "forums": selectors.forum_list(actor),
            "upcoming": selectors.upcoming_meetings(actor),
            "my_actions": selectors.my_actions(actor),
            "overdue_steps": selectors.overdue_steps(actor),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def forum_new(request):
    """Set up a forum (an administrator; the forum is convened from their organisation)."""
    actor = request.actor
    if not selectors.may_set_up_forum(actor):
        raise refuse(actor, _("att lägga upp samverkansforum"))
    kwargs = {
        "organisations": directory.organisation_choices(),
        "functions": directory.function_choices(),
    }
    form = ForumForm(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            forum = services.forum_create(
                actor=actor,
                name=data["name"],
                level=data["level"],
                cadence=data["cadence"],
                convener_organisation_id=actor.organisation_id,
                convener_function_code=data["convener_function"],
                organisation_ids=[int(o) for o in data["organisations"]],
                function_codes=data["functions"],
                purpose=data["purpose"],
                goals=data["goals"],
                target_group=data["target_group"],
                min_age=data["min_age"],
                max_age=data["max_age"],
                way_of_working=data["way_of_working"],
                weekday=data["weekday"],
                start_time=data["start_time"],
                duration_minutes=data["duration_minutes"],
                location=data["location"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            services.meetings_generate(forum=forum)
            messages.success(
                request,
                gettext("Forumet är inrättat och mötena enligt mötesfrekvensen är skapade."),
            )
            return HttpResponseRedirect(reverse("meetings:forum", args=[forum.public_id]))
    return render(request, "meetings/forum_form.html", {"nav": "meetings", "form": form})


@login_required
def forum_detail(request, forum_id):
    actor = request.actor
    try:
        forum = selectors.forum_get(actor, forum_id)
    except NotFound as exc:
        raise _not_found(exc) from exc
    return _forum_page(request, forum)


def _forum_page(request, forum, *, book_form=None, status=200):
    """The forum's page; ``book_form`` is a refused booking, shown again as typed."""
    actor = request.actor
    participation = selectors.participation(actor, forum)
    may_convene = selectors.is_convener(actor, forum)
    return render(
        request,
        "meetings/forum_detail.html",
        {
            "nav": "meetings",
            "forum": forum,
            "participation": participation,
            "may_convene": may_convene,
            "meetings": selectors.forum_meetings(actor, forum),
            "followup": selectors.forum_followup(forum) if participation else None,
            "book_form": (book_form or BookForm()) if may_convene else None,
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
@require_POST
def forum_book(request, forum_id):
    actor = request.actor
    try:
        forum = selectors.forum_get(actor, forum_id)
    except NotFound as exc:
        raise _not_found(exc) from exc
    form = BookForm(request.POST)
    if form.is_valid():
        try:
            meeting = services.meeting_book(
                actor=actor,
                forum=forum,
                starts_at=form.cleaned_data["starts_at"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                location=form.cleaned_data["location"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, gettext("Mötet är bokat."))
            return HttpResponseRedirect(_meeting_url(meeting))
    # Refused: the forum's page with the booking form as typed and the reason at the field.
    return _forum_page(request, forum, book_form=form)


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


def _identifying(form, exc: services.IdentifyingText) -> list[dict]:
    """Each field with identifying passages gets its own error; the list of passages
    (what each looks like, never where a name is known) is shown above the form."""
    for field_name, findings in exc.by_field().items():
        target = field_name if field_name in form.fields else None
        form.add_error(target, deidentify.summary(findings))
    return [
        {
            "field": form.fields[f.field].label if f.field in form.fields else "",
            "text": f.text,
            "message": f.message,
            "warning": f.severity == deidentify.WARNING,
        }
        for f in exc.findings
    ]


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request, meeting_id):
    """Add an agenda item. A refused identified case is offered as an anonymised
    consultation; an anonymised text that identifies someone is shown back with each
    passage to rewrite."""
    actor = request.actor
    try:
        view = selectors.meeting_get(actor, meeting_id)
    except NotFound as exc:
        raise _not_found(exc) from exc
    children = people.child_choices(actor)  # what the actor may read (empty without a ground)
    child_choices = [(str(c.public_id), c.full_name) for c in children]
    findings, reasons = [], []
    if request.method == "POST":
        form = ItemForm(request.POST, child_choices=child_choices)
        if form.is_valid():
            data = form.cleaned_data
            child = next((c for c in children if str(c.public_id) == data["child"]), None)
            try:
                services.item_add(
                    actor=actor,
                    meeting=view.meeting,
                    kind=data["kind"],
                    title=data["title"],
                    text=data["text"],
                    child=child if data["kind"] == ItemKind.IDENTIFIED else None,
                    category=data["category"],
                    reviewed=data["reviewed"],
                )
            except services.IdentifyingText as exc:
                findings = _identifying(form, exc)
            except services.ConsentMissing as exc:
                reasons = exc.reasons
                form = ItemForm(
                    initial={
                        "kind": ItemKind.ANONYMISED,
                        "title": "",
                        "text": data["text"],
                    },
                    child_choices=child_choices,
                )
            except NotFound as exc:
                raise _not_found(exc) from exc
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, gettext("Punkten är tillagd på dagordningen."))
                return HttpResponseRedirect(_meeting_url(view.meeting))
    else:
        form = ItemForm(initial={"kind": ItemKind.GENERAL}, child_choices=child_choices)
    return render(
        request,
        "meetings/item_form.html",
        {
            "nav": "meetings",
            "meeting": view.meeting,
            "form": form,
            "findings": findings,
            "show_reviewed": any(f["warning"] for f in findings),
            "reasons": reasons,
        },
    )


# Escalations -------------------------------------------------------------------------


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


# Calendar ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request):
    actor = request.actor
    secret = None
    if request.method == "POST":
        if request.POST.get("revoke"):
            services.calendar_token_revoke(actor=actor)
            messages.success(request, gettext("Kalenderlänkarna är spärrade."))
            return HttpResponseRedirect(reverse("meetings:calendar"))
        try:
            _, secret = services.calendar_token_create(actor=actor)
        except DomainError as exc:
            messages.error(request, exc.message)
    forums = [f for f in selectors.forum_list(actor) if selectors.participation(actor, f)]
    feed_url = (
        request.build_absolute_uri(reverse("meetings:feed_user", args=[secret])) if secret else ""
    )
    forum_feeds = (
        [
            (
                f,
                request.build_absolute_uri(
                    reverse("meetings:feed_forum", args=[secret, f.public_id])
                ),
            )
            for f in forums
        ]
        if secret
        else []
    )
    return render(
        request,
        "meetings/calendar.html",
        {
            "nav": "meetings",
            "token": selectors.calendar_token_active(actor),
            "feed_url": feed_url,
            "forum_feeds": forum_feeds,
        },
    )


def _feed_response(request, secret, forum_id=None):
    actor = selectors.actor_for_feed(secret)
    if actor is None:
        raise Http404
    try:
        meetings, forum = selectors.feed_meetings(actor, forum_id)
    except NotFound as exc:
        raise _not_found(exc) from exc
    body = ical.feed(
        meetings,
        name=forum.name if forum else "Samverkansforum",
        url_for=lambda m: request.build_absolute_uri(_meeting_url(m)),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


def feed_user(request, secret):
    return _feed_response(request, secret)


def feed_forum(request, secret, forum_id):
    return _feed_response(request, secret, forum_id)
