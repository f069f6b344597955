"""One report's page (the reporting side's view and the receiver's) and the handling
steps posted from it: handler, identifying the child, protection and preliminary
assessments, extending a deadline, closing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from samverkan.audit.models import Action
from samverkan.core.errors import DomainError
from samverkan.core.forms import add_domain_error

from . import conf, selectors, services
from .forms import (
    AssignForm,
    CloseForm,
    DecideForm,
    EvaluationForm,
    ExtendForm,
    FeedbackTextForm,
    IdentifyForm,
    MeetingForm,
    ProtectionForm,
    ReporterEntryForm,
)
from .views import _back, _view_or_404

# The action forms on a report's page: each has its own ids (``auto_id``), so that
# several forms on one page never share an id and each label focuses its own field.
_FORMS = {
    "assign_form": AssignForm,
    "identify_form": IdentifyForm,
    "protection_form": ProtectionForm,
    "decide_form": DecideForm,
    "extend_form": ExtendForm,
    "close_form": CloseForm,
    "meeting_form": MeetingForm,
    "feedback_form": FeedbackTextForm,
    "entry_form": ReporterEntryForm,
    "evaluation_form": EvaluationForm,
}


def _auto_id(key: str) -> str:
    return key.removesuffix("_form") + "-%s"


def _form(key: str, bound: dict, **kwargs):
    """The page's form ``key``: the one just sent (with what was typed and the errors),
    or a new one."""
    return bound.get(key) or _FORMS[key](auto_id=_auto_id(key), **kwargs)


def _detail_page(request, view, *, bound: dict | None = None, status: int = 200):
    actor = request.actor
    bound = bound or {}
    context = {
        "nav": "concerns",
        "view": view,
        "report": view.report,
        "handling": view.handling,
        "law": {k: conf.law(k) for k in ("duty_to_report", "preliminary", "investigation")},
        "bound_form": next(iter(bound), ""),
        # The refused form's errors, summed up at the top with links to the fields (the
        # form itself may be one the page no longer shows, e.g. a decision just made).
        "refused": next(iter(bound.values()), None),
    }
    if view.is_intake:
        handling = view.handling
        is_handler = handling.handler_id is not None and handling.handler_id == actor.membership_id
        context.update(
            {
                "assign_form": _form(
                    "assign_form",
                    bound,
                    handlers=selectors.handler_choices(actor),
                    initial={"handler": handling.handler_id},
                ),
                "identify_form": _form(
                    "identify_form",
                    bound,
                    initial={
                        "personal_number": view.report.reported_personal_number,
                        "first_name": view.report.reported_first_name,
                        "last_name": view.report.reported_last_name,
                    },
                )
                if view.report.child_id is None
                else None,
                "protection_form": _form("protection_form", bound),
                "decide_form": _form("decide_form", bound),
                "extend_form": _form("extend_form", bound),
                "close_form": _form("close_form", bound),
                "meeting_form": _form("meeting_form", bound),
                "is_handler": is_handler,
                "offers": selectors.statements_offered(view) if is_handler else [],
                "sent_statements": {e.statement for e in view.feedback if e.statement},
                "feedback_form": _form("feedback_form", bound),
                "questions": [e for e in view.entries if e.kind == "question"],
            }
        )
    else:
        context["entry_form"] = _form("entry_form", bound)
    if view.handling.closed_at and not any(
        e.organisation_id == actor.organisation_id for e in view.evaluations
    ):
        context["evaluation_form"] = _form("evaluation_form", bound)
    return render(request, "concerns/detail.html", context, status=status)


@login_required
def detail(request, report_id):
    return _detail_page(request, _view_or_404(request.actor, report_id))


def _post_action(request, report_id, action, form_class, call, ok, **form_kwargs):
    """An action form on the report's page. Done: back to the page with a message.
    Refused: the page again, the form as typed, the reason next to the field."""
    actor = request.actor
    view = _view_or_404(actor, report_id, action=action)
    key = next(k for k, cls in _FORMS.items() if cls is form_class)
    form = form_class(request.POST, auto_id=_auto_id(key), **form_kwargs)
    if form.is_valid():
        try:
            call(actor, view, form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, ok)
            return _back(report_id)
    return _detail_page(request, _view_or_404(actor, report_id), bound={key: form})


@login_required
@require_POST
def assign(request, report_id):
    return _post_action(
        request,
        report_id,
        Action.CHANGE,
        AssignForm,
        lambda actor, view, d: services.handling_assign(
            actor=actor, report=view.report, handler_membership_id=d["handler"]
        ),
        gettext("Handläggaren är utsedd. Anmälaren ser nu vem som handlägger ärendet."),
        handlers=selectors.handler_choices(request.actor),
    )


@login_required
@require_POST
def identify(request, report_id):
    return _post_action(
        request,
        report_id,
        Action.CHANGE,
        IdentifyForm,
        lambda actor, view, d: services.report_identify_child(
            actor=actor,
            report=view.report,
            personal_number=d["personal_number"],
            first_name=d["first_name"],
            last_name=d["last_name"],
            note=d["note"],
        ),
        gettext("Barnet är identifierat och anmälan är kopplad till barnet."),
    )


@login_required
@require_POST
def protection(request, report_id):
    return _post_action(
        request,
        report_id,
        Action.CHANGE,
        ProtectionForm,
        lambda actor, view, d: services.protection_assessment_record(
            actor=actor, report=view.report, text=d["text"]
        ),
        gettext("Skyddsbedömningen är dokumenterad."),
    )


@login_required
@require_POST
def decide(request, report_id):
    return _post_action(
        request,
        report_id,
        Action.CHANGE,
        DecideForm,
        lambda actor, view, d: services.preliminary_decide(
            actor=actor, report=view.report, decision=d["decision"], text=d["text"]
        ),
        gettext("Beslutet efter förhandsbedömningen är registrerat."),
    )


@login_required
@require_POST
def extend(request, report_id, which):
    fn = {
        "forhandsbedomning": services.preliminary_extend,
        "utredning": services.investigation_extend,
    }.get(which)
    if fn is None:
        raise Http404
    return _post_action(
        request,
        report_id,
        Action.CHANGE,
        ExtendForm,
        lambda actor, view, d: fn(
            actor=actor, report=view.report, new_due=d["new_due"], reason=d["reason"]
        ),
        gettext("Förlängningen och skälet är registrerade."),
    )


@login_required
@require_POST
def close(request, report_id):
    return _post_action(
        request,
        report_id,
        Action.CHANGE,
        CloseForm,
        lambda actor, view, d: services.handling_close(
            actor=actor, report=view.report, outcome=d["outcome"], text=d["text"]
        ),
        gettext("Ärendet är avslutat."),
    )
