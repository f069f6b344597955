"""Forum pages: the overview (my forums, meetings, action items, overdue escalation
steps) and a forum with its meetings and booking, and what the other pages share. A
meeting's page and its forms are in ``meeting_views``, a new agenda item in
``item_views``, escalations in ``escalation_views`` and the calendar feeds in
``calendar_views``; ``urls`` imports each."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.core.errors import DomainError, NotFound
from samverkan.core.forms import add_domain_error
from samverkan.core.refusals import refuse
from samverkan.directory import selectors as directory

from . import deidentify, selectors, services
from .forms import BookForm, ForumForm


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
