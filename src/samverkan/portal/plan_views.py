"""The family's pages for a SIP (decision 0270): the plan as the family reads it, the
answer to the call to the meeting, what is important to you, the young person's own
words, and the plan's PDF. Thin: each calls ``plans.family`` with the family member as
actor; the rules and the audit are there."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from samverkan.audit.models import Action
from samverkan.core.errors import DomainError, NotFound
from samverkan.core.forms import add_domain_error
from samverkan.plans import family as plans_family
from samverkan.plans import pdf as plans_pdf

from . import session
from .forms import AnswerForm, StatementForm

IMPORTANT = "important"
OWN_WORDS = "own_words"


def _reply_choices():
    return [(value, label) for value, label in plans_family.MeetingReply.choices]


def _important_form(view, data=None):
    mine = view.statements.get(IMPORTANT)
    return StatementForm(
        data,
        prefix="important",
        label=_("Vad är viktigt för dig?"),
        help_text=_(
            "Till exempel vad som fungerar bra, vad som är svårt och vad du vill att mötet "
            "ska handla om. Samordnaren läser det före mötet."
        ),
        initial={"text": mine.text} if mine else None,
    )


def _own_words_form(view, data=None):
    mine = view.statements.get(OWN_WORDS)
    return StatementForm(
        data,
        prefix="own",
        label=_("Dina egna ord och mål"),
        help_text=_(
            "Det här läser de som arbetar med planen, inte dina vårdnadshavare. Samordnaren "
            "tar in det i planen tillsammans med dig."
        ),
        initial={"text": mine.text} if mine else None,
    )


def _answer_form(view, data=None):
    initial = None
    if view.answer is not None:
        initial = {"reply": view.answer.reply, "message": view.answer.message}
    return AnswerForm(data, choices=_reply_choices(), initial=initial)


def _context(request, view, **forms):
    return {
        "view": view,
        "answer_form": forms.get("answer_form")
        or (_answer_form(view) if view.may_answer else None),
        "important_form": forms.get("important_form")
        or (_important_form(view) if view.is_open else None),
        "own_words_form": forms.get("own_words_form")
        or (_own_words_form(view) if view.may_write_own_words else None),
        "nav": "home",
    }


def _get(request, plan_id, action=Action.READ):
    try:
        return plans_family.plan_for_family(request.family_actor, plan_id, action=action)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@never_cache
@session.family_view
def plan(request, plan_id):
    view = _get(request, plan_id)
    return render(request, "portal/plan.html", _context(request, view))


@never_cache
@session.family_view
def plan_pdf(request, plan_id):
    view = _get(request, plan_id, Action.PRINT)
    body = plans_pdf.plan_pdf(view, request.family_actor, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{plans_pdf.filename(view.plan)}"'
    return response


def _done(request, plan_id, text: str):
    messages.success(request, text)
    return HttpResponseRedirect(reverse("portal:plan", args=[plan_id]))


def _failed(request, view, form_key, form, exc: DomainError):
    add_domain_error(form, exc)
    return render(
        request, "portal/plan.html", _context(request, view, **{form_key: form}), status=422
    )


@require_POST
@session.family_view
def answer(request, plan_id):
    view = _get(request, plan_id)
    form = _answer_form(view, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        proposed = None
        if data["reply"] == "propose":
            proposed = datetime.datetime.combine(data["proposed_on"], data["proposed_time"])
        try:
            plans_family.meeting_answer(
                actor=request.family_actor,
                public_id=view.public_id,
                reply=data["reply"],
                proposed_at=proposed,
                message=data.get("message", ""),
            )
        except DomainError as exc:
            return _failed(request, view, "answer_form", form, exc)
        return _done(request, plan_id, _("Tack! Ditt svar är skickat till samordnaren."))
    return render(
        request, "portal/plan.html", _context(request, view, answer_form=form), status=422
    )


def _statement(request, plan_id, topic: str, form_key: str, make_form, done: str):
    view = _get(request, plan_id)
    form = make_form(view, request.POST)
    if form.is_valid():
        try:
            plans_family.statement_add(
                actor=request.family_actor,
                public_id=view.public_id,
                topic=topic,
                text=form.cleaned_data["text"],
            )
        except DomainError as exc:
            return _failed(request, view, form_key, form, exc)
        return _done(request, plan_id, done)
    return render(
        request, "portal/plan.html", _context(request, view, **{form_key: form}), status=422
    )


@require_POST
@session.family_view
def important(request, plan_id):
    return _statement(
        request,
        plan_id,
        IMPORTANT,
        "important_form",
        _important_form,
        _("Tack! Samordnaren får läsa det du skrev före mötet."),
    )


@require_POST
@session.family_view
def own_words(request, plan_id):
    return _statement(
        request,
        plan_id,
        OWN_WORDS,
        "own_words_form",
        _own_words_form,
        _("Tack! Dina egna ord är skickade till samordnaren."),
    )
