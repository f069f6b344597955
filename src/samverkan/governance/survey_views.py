"""Survey pages (/strategi/enkater/): the list (with the surveys waiting for the
reader's answer), a survey's builder and results, the answer form and the charts.
Results are anonymous aggregates (survey_results.py); every member of staff may read
them, the strategy group builds, opens and closes surveys."""

from __future__ import annotations

import datetime

from csp.decorators import csp
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.core import bounds
from samverkan.core.errors import DomainError, NotFound, PermissionDenied
from samverkan.core.forms import add_domain_error
from samverkan.directory import selectors as directory
from samverkan.meetings import selectors as meetings

from . import charts, policies, survey_occasions, survey_results, surveys
from .survey_forms import AnswerForm, QuestionForm, SurveyForm
from .survey_models import SurveyStatus
from .views import member_required

NAV = "governance"
_CHART_CSP = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "frame-ancestors": ["'none'"],
}


def _survey(request, survey_id):
    try:
        return survey_results.survey_get(request.actor, survey_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _year(request):
    year = bounds.parse_int(request.GET.get("ar"), low=2000, high=2100)
    if year is None:
        return None, None, None
    return year, datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


@member_required
@require_http_methods(["GET", "POST"])
def survey_list(request):
    actor = request.actor
    may_edit = policies.is_strategy_group(actor)
    form = SurveyForm(request.POST or None, actor=actor) if may_edit else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                survey = surveys.survey_create(actor=actor, **form.values())
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return HttpResponseRedirect(reverse("strategy:survey", args=[survey.public_id]))
        status = 422
    all_surveys = list(survey_results.survey_list(actor))
    waiting = surveys.waiting_for(actor)
    invited = survey_occasions.pending(actor)
    return render(
        request,
        "governance/survey_list.html",
        {
            "nav": NAV,
            "surveys": all_surveys,
            "waiting": waiting,
            "invited": invited,
            "form": form,
        },
        status=status,
    )


def _detail_context(request, survey, question_form=None):
    year, start, end = _year(request)
    may_edit = policies.is_strategy_group(request.actor)
    results = survey_results.results(survey, reader=request.actor, start=start, end=end)
    return {
        "nav": NAV,
        "survey": survey,
        "results": results,
        "year": year,
        "may_edit": may_edit,
        "editable": may_edit and survey.status == SurveyStatus.DRAFT,
        "question_form": question_form or QuestionForm(),
        "answer_reason": surveys.may_answer(request.actor, survey),
        "forum_levels": [meetings.forum_levels().get(c, c) for c in survey.forum_levels],
        "org_types": [directory.organisation_type_labels().get(c, c) for c in survey.org_types],
        "triggered": surveys.TRIGGERED,
        "query": f"?ar={year}" if year else "",
    }


@member_required
def survey_detail(request, survey_id):
    survey = _survey(request, survey_id)
    return render(request, "governance/survey_detail.html", _detail_context(request, survey))


@member_required
@require_POST
def survey_change(request, survey_id, what):
    survey = _survey(request, survey_id)
    actor = request.actor
    if not policies.is_strategy_group(actor):
        raise Http404
    try:
        if what == "fraga":
            form = QuestionForm(request.POST)
            if not form.is_valid():
                return render(
                    request,
                    "governance/survey_detail.html",
                    _detail_context(request, survey, form),
                    status=422,
                )
            surveys.question_add(actor=actor, survey=survey, **form.cleaned_data)
        elif what == "ta-bort-fraga":
            position = bounds.parse_int(request.POST.get("position"), low=1, high=999)
            surveys.question_remove(actor=actor, survey=survey, position=position or 0)
        elif what in ("oppna", "stang"):
            status = SurveyStatus.OPEN if what == "oppna" else SurveyStatus.CLOSED
            surveys.survey_set_status(actor=actor, survey=survey, status=status)
        else:
            raise Http404
    except PermissionDenied as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Sparat."))
    return HttpResponseRedirect(reverse("strategy:survey", args=[survey.public_id]))


def _answer(request, survey, invitation=None):
    """The answer form, for the survey itself or for an invitation's occasion."""
    actor = request.actor
    reason = surveys.may_answer(actor, survey, invitation=invitation)
    if reason and request.method == "GET":
        messages.info(request, reason)
        return HttpResponseRedirect(reverse("strategy:survey", args=[survey.public_id]))
    form = AnswerForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.answer_submit(
                actor=actor, survey=survey, answers=form.answers(), invitation=invitation
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, gettext("Tack för dina svar! De sparas utan ditt namn."))
            return HttpResponseRedirect(reverse("strategy:surveys"))
    return render(
        request,
        "governance/survey_answer.html",
        {"nav": NAV, "survey": survey, "form": form, "invitation": invitation},
        status=422 if request.method == "POST" else 200,
    )


@member_required
@require_http_methods(["GET", "POST"])
def survey_answer(request, survey_id):
    return _answer(request, _survey(request, survey_id))


@member_required
@require_http_methods(["GET", "POST"])
def survey_invitation(request, invitation_id):
    """Answer a survey after an occasion, from the invitation in one's inbox."""
    try:
        invitation = survey_occasions.invitation_get(request.actor, invitation_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return _answer(request, _survey(request, invitation.survey.public_id), invitation)


@member_required
@csp(_CHART_CSP)
def survey_chart(request, survey_id, kind):
    survey = _survey(request, survey_id)
    _, start, end = _year(request)
    results = survey_results.results(survey, reader=request.actor, start=start, end=end)
    if kind == "verksamheter":
        svg = charts.survey_by_group_svg(results)
    elif kind == "over-tid":
        svg = charts.survey_over_time_svg(results)
    else:
        raise Http404
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = "inline"
    return response
