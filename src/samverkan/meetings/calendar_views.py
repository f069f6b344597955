"""The calendar: the page that makes or revokes the feed links, and the feeds
themselves (a user's meetings, a forum's)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from samverkan.core.errors import DomainError, NotFound

from . import ical, selectors, services
from .views import _meeting_url, _not_found


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
