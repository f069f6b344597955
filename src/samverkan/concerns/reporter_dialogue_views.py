"""Feedback to the reporter, and the reporter's additions, corrections and questions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from samverkan.audit.models import Action
from samverkan.core.errors import DomainError
from samverkan.core.forms import add_domain_error

from . import selectors, services
from .forms import FeedbackTextForm, ReporterEntryForm
from .report_views import _auto_id, _detail_page, _post_action
from .views import _back, _view_or_404


@login_required
@require_POST
def feedback(request, report_id):
    """One click per whitelisted statement (``statement``), or free text when a
    consent allows it. A refusal says exactly why."""
    actor = request.actor
    view = _view_or_404(actor, report_id, action=Action.CHANGE)
    statement = request.POST.get("statement", "")
    reply_to = request.POST.get("in_reply_to")
    in_reply_to = selectors.question_get(view, reply_to) if reply_to else None
    if reply_to and in_reply_to is None:
        raise Http404
    text, category = "", "insatser"
    form = None
    if not statement:
        form = FeedbackTextForm(request.POST, auto_id=_auto_id("feedback_form"))
        if not form.is_valid():
            return _detail_page(
                request, _view_or_404(actor, report_id), bound={"feedback_form": form}
            )
        text, category = form.cleaned_data["text"], form.cleaned_data["category"]
    try:
        services.feedback_send(
            actor=actor,
            report=view.report,
            statement=statement,
            text=text,
            category=category,
            in_reply_to=in_reply_to,
        )
    except DomainError as exc:
        if form is None:
            messages.error(
                request,
                gettext("Återkopplingen skickades inte: %(message)s") % {"message": exc.message},
            )
            return _back(report_id)
        exc.message = gettext("Återkopplingen skickades inte: %(message)s") % {
            "message": exc.message
        }
        add_domain_error(form, exc)
        return _detail_page(request, _view_or_404(actor, report_id), bound={"feedback_form": form})
    messages.success(request, gettext("Återkopplingen är skickad till anmälaren."))
    return _back(report_id)


@login_required
@require_POST
def reporter_entry(request, report_id):
    return _post_action(
        request,
        report_id,
        Action.CREATE,
        ReporterEntryForm,
        lambda actor, view, d: services.reporter_entry_add(
            actor=actor, report=view.report, kind=d["kind"], text=d["text"]
        ),
        gettext("Tack. Det du skrev är tillagt till anmälan och handläggaren ser det."),
    )
