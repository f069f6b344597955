"""The three-party meeting (booking it, its calendar file) and the evaluation after
closure."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from samverkan.audit.models import Action
from samverkan.core.errors import NotFound

from . import invitations, selectors, services
from .forms import EvaluationForm, MeetingForm
from .report_views import _post_action
from .views import _view_or_404


@login_required
@require_POST
def meeting(request, report_id):
    return _post_action(
        request,
        report_id,
        Action.CHANGE,
        MeetingForm,
        lambda actor, view, d: services.meeting_book(
            actor=actor,
            report=view.report,
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            place=d["place"],
            agenda=d["agenda"],
        ),
        gettext(
            "Trepartssamtalet är bokat. Ladda ned kalenderinbjudan och skicka den till deltagarna."
        ),
    )


@login_required
def meeting_ics(request, report_id, meeting_id):
    actor = request.actor
    view = _view_or_404(actor, report_id, action=Action.EXPORT)
    try:
        found = selectors.meeting_get(view, meeting_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    body = invitations.meeting_ics(
        found, view.report, municipality=settings.SAMVERKAN["MUNICIPALITY_NAME"]
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="trepartssamtal-{view.report.reference}.ics"'
    )
    return response


@login_required
@require_POST
def evaluation(request, report_id):
    return _post_action(
        request,
        report_id,
        Action.CREATE,
        EvaluationForm,
        lambda actor, view, d: services.evaluation_submit(
            actor=actor,
            report=view.report,
            answers={k: d[k] for k, _ in services.EVALUATION_QUESTIONS},
            comment=d["comment"],
        ),
        gettext("Tack för utvärderingen."),
    )
