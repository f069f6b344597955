"""The inbox pages: the list (paged), marking an item done, the header's count (an htmx
fragment, polled) and the choice of how e-mail comes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.core import bounds
from samverkan.core.errors import DomainError, NotFound
from samverkan.core.paging import page_number

from . import selectors, services, sms
from .models import MailMode


@login_required
def inbox(request):
    return _inbox_page(request)


def _inbox_page(request, *, sms_error: str = "", sms_typed: str | None = None, status: int = 200):
    actor = request.actor
    done = request.GET.get("visa") == "klara"
    page = selectors.inbox_page(actor, page=page_number(request.GET.get("page")), done=done)
    return render(
        request,
        "notify/inbox.html",
        {
            "nav": "inbox",
            "page": page,
            "done": done,
            "mode": services.mail_preference(actor.user_id),
            "modes": MailMode.choices,
            "sms_enabled": sms.enabled(),
            "sms_number": services.sms_number(actor.user_id) if sms_typed is None else sms_typed,
            "sms_error": sms_error,
        },
        status=status,
    )


@login_required
@require_POST
def mark_done(request, item_id):
    try:
        services.inbox_mark_done(actor=request.actor, public_id=item_id)
    except NotFound as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Markerad som klar."))
    return HttpResponseRedirect(reverse("notify:inbox"))


@login_required
def count(request):
    """The header's count, as a fragment; htmx polls it so open pages stay current."""
    number = selectors.open_count(request.actor)
    return render(request, "notify/_count.html", {"count": number})


@login_required
@require_POST
def preference(request):
    try:
        services.mail_preference_set(actor=request.actor, mode=request.POST.get("mode", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Ditt val för e-post är sparat."))
    return HttpResponseRedirect(reverse("notify:inbox"))


@login_required
@require_POST
def sms_number(request):
    """Opt in to SMS about urgent items with a mobile number, or out with none."""
    number = request.POST.get("sms_number", "")
    try:
        services.sms_number_set(actor=request.actor, number=number)
    except DomainError as exc:
        # The page again, the error beside the field and what was typed kept (bounded).
        return _inbox_page(
            request, sms_error=exc.message, sms_typed=number[: bounds.TEXT_SHORT * 2], status=400
        )
    messages.success(
        request,
        _("Du får sms om brådskande händelser.")
        if number.strip()
        else _("Du får inga sms från Samverkan."),
    )
    return HttpResponseRedirect(reverse("notify:inbox"))
