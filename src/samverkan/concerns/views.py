"""Report pages: making a report (professional, private person, oral by telephone),
Mina anmälningar, the intake dashboard, one report (two views), the handling steps,
feedback, additions and questions, the three-party meeting and the evaluation."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.access import pipeline
from samverkan.audit.models import Action
from samverkan.core import limits, paging
from samverkan.core.errors import DomainError, NotFound
from samverkan.core.forms import add_domain_error
from samverkan.core.refusals import refuse
from samverkan.people import identity
from samverkan.people import selectors as people

from . import conf, invitations, selectors, services
from .forms import (
    AssignForm,
    CloseForm,
    DecideForm,
    EvaluationForm,
    ExtendForm,
    FeedbackTextForm,
    IdentifyForm,
    MeetingForm,
    OralReportForm,
    ProtectionForm,
    PublicReportForm,
    ReporterEntryForm,
    ReportForm,
)

PUBLIC_RECEIPT_KEY = "concerns_public_receipt"


def _is_intake(actor) -> bool:
    return selectors.is_intake(actor)


def _view_or_404(actor, report_id, action=Action.READ):
    try:
        return selectors.report_get(actor, report_id, action=action)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _back(report_id):
    return HttpResponseRedirect(reverse("concerns:detail", args=[report_id]))


@login_required
def index(request):
    if _is_intake(request.actor):
        return HttpResponseRedirect(reverse("concerns:intake"))
    return HttpResponseRedirect(reverse("concerns:mine"))


@login_required
def mine(request):
    actor = request.actor
    if not pipeline.may_list(actor, "concerns.report"):
        raise refuse(actor, _("anmälningar"))
    return render(
        request,
        "concerns/mine.html",
        {
            "nav": "concerns",
            "views": selectors.reports_mine(
                actor, page=paging.page_number(request.GET.get("page"))
            ),
            "may_report": actor.organisation_type in services.REPORTING_TYPES,
        },
    )


@login_required
def intake(request):
    actor = request.actor
    if not _is_intake(actor):
        raise Http404
    # The live dashboard (htmx, every 20 s) asks with the stamp it shows: nothing has
    # changed, nothing is loaded (and nothing audited); else the table comes anew.
    stamp = selectors.intake_stamp(actor)
    live = request.GET.get("live") == "1"
    if live and request.GET.get("stamp") == stamp:
        return HttpResponse(status=204)
    page = selectors.intake_dashboard(actor, page=paging.page_number(request.GET.get("page")))
    return render(
        request,
        "concerns/_intake_live.html" if live else "concerns/intake.html",
        {
            "stamp": stamp,
            "nav": "concerns",
            "views": page.items,
            "page": page,
            "overdue": page.extra["overdue"],
            "due_soon": page.extra["due_soon"],
            "summary": selectors.evaluation_summary(actor),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    actor = request.actor
    if not selectors.may_report(actor):
        raise refuse(actor, _("att göra en orosanmälan härifrån"))
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.report_submit(
                    actor=actor,
                    personal_number=data["personal_number"],
                    child_first_name=data["child_first_name"],
                    child_last_name=data["child_last_name"],
                    worry=data["worry"],
                    observations=data["observations"],
                    child_words=data["child_words"],
                    urgency=data["urgency"],
                    guardians_informed=data["guardians_informed"],
                    do_not_inform_guardians=data["do_not_inform_guardians"],
                    do_not_inform_reason=data["do_not_inform_reason"],
                    reporter_phone=data["reporter_phone"],
                    reporter_email=data["reporter_email"],
                    factor_codes=data["factors"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    gettext(
                        "Anmälan %(reference)s har kommit in till socialtjänsten. Du ser den "
                        "under Mina anmälningar."
                    )
                    % {"reference": report.reference},
                )
                return _back(report.public_id)
    else:
        initial = {}
        child_id = request.GET.get("barn")
        if child_id:
            try:
                child = people.child_get(actor, child_id).child
            except NotFound as exc:
                raise Http404(exc.message) from exc
            initial["personal_number"] = child.personal_number_display
        form = ReportForm(initial=initial)
    return render(request, "concerns/new.html", {"nav": "concerns", "form": form})


@require_http_methods(["GET", "POST"])
def public_new(request):
    """The public form for private persons: no login, may be anonymous."""
    if request.method == "POST":
        form = PublicReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:
                raise Http404  # a bot filled in the hidden field
            # Per client address, counted in the shared cache (decision 0170).
            verdict = limits.hit(request, limits.PUBLIC_REPORT_IP)
            if verdict.limited:
                response = render(
                    request, "concerns/public_limited.html", {"public": True}, status=429
                )
                return limits.retry_after(response, verdict)
            try:
                report = services.report_submit_public(
                    child_details=data["child_details"],
                    worry=data["worry"],
                    observations=data["observations"],
                    child_words=data["child_words"],
                    urgency=data["urgency"],
                    guardians_informed=data["guardians_informed"],
                    reporter_name=data["reporter_name"],
                    reporter_phone=data["reporter_phone"],
                    reporter_email=data["reporter_email"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                request.session[PUBLIC_RECEIPT_KEY] = {
                    "reference": report.reference,
                    "received_at": report.received_at.isoformat(),
                    "organisation": report.receiving_organisation.name,
                    "phone": report.receiving_organisation.phone,
                }
                return HttpResponseRedirect(reverse("concerns:public_receipt"))
    else:
        form = PublicReportForm()
    return render(request, "concerns/public_new.html", {"form": form, "public": True})


def public_receipt(request):
    receipt = request.session.get(PUBLIC_RECEIPT_KEY)
    if not receipt:
        return HttpResponseRedirect(reverse("concerns:public_new"))
    return render(request, "concerns/public_receipt.html", {"receipt": receipt, "public": True})


@login_required
@require_http_methods(["GET", "POST"])
def oral_new(request):
    actor = request.actor
    if not _is_intake(actor):
        raise Http404
    organisations = selectors.reporting_organisation_choices()
    if request.method == "POST":
        form = OralReportForm(request.POST, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.report_register_oral(
                    actor=actor,
                    personal_number=data["personal_number"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    reporter_organisation_id=data["reporter_org"],
                    reporter_name=data["reporter_name"],
                    reporter_function=data["reporter_function"],
                    reporter_phone=data["reporter_phone"],
                    reporter_email=data["reporter_email"],
                    worry=data["worry"],
                    observations=data["observations"],
                    child_words=data["child_words"],
                    urgency=data["urgency"],
                    guardians_informed=data["guardians_informed"],
                    do_not_inform_guardians=data["do_not_inform_guardians"],
                    do_not_inform_reason=data["do_not_inform_reason"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    gettext(
                        "Den muntliga anmälan %(reference)s är registrerad. Skriftlig anmälan "
                        "väntas senast %(written_due)s."
                    )
                    % {
                        "reference": report.reference,
                        "written_due": format(report.handling.written_due, "%Y-%m-%d"),
                    },
                )
                return _back(report.public_id)
    else:
        form = OralReportForm(organisations=organisations)
    return render(request, "concerns/oral_new.html", {"nav": "concerns", "form": form})


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


@login_required
def child_panel(request, child_id):
    """The child overview panel: reports about the child the actor may see."""
    actor = request.actor
    try:
        child = people.child_get(actor, child_id).child
    except NotFound as exc:
        raise Http404(exc.message) from exc
    context = {
        "child": child,
        "views": selectors.reports_for_child(actor, child),
        "may_report": actor.organisation_type in services.REPORTING_TYPES,
        "age": identity.age_on(child.date_of_birth),
    }
    return render(request, "concerns/_child_panel.html", context)


@login_required
def home_card(request):
    """The start page's card (loaded with htmx): where to go. What waits for the reader
    is in the inbox (notify)."""
    actor = request.actor
    if not actor.has_membership:
        raise Http404
    return render(
        request,
        "concerns/_home_card.html",
        {"is_intake": _is_intake(actor)},
    )
