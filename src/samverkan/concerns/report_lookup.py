"""One report, the reports of the reporting side and of a child, and what their pages
offer (handlers, reporting organisations, questions, meetings, evaluations, feedback
statements, factor tags)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Count,
    Prefetch,
)
from django.utils import timezone
from django.utils.translation import gettext

from samverkan.access import pipeline, policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit.models import Action
from samverkan.audit.services import Ground
from samverkan.core import paging
from samverkan.core.errors import NotFound
from samverkan.directory import selectors as directory
from samverkan.people import selectors as people_selectors

from . import deadlines, legal
from . import feedback as catalogue
from .cooperation import EVALUATION_QUESTIONS
from .models import (
    Channel,
    Entry,
    EntryKind,
    Evaluation,
    Meeting,
    Report,
)
from .policies import is_receiver, reporter_ground
from .reading import (
    INTAKE,
    REPORTER,
    Deadline,
    ReportView,
    _deadlines,
    _duplicate_counts,
    _evaluation_due,
    _for_reporter,
    _list_qs,
    _load,
    _protection_late,
    _shown,
)
from .reporter_dialogue import feedback_access, feedback_decision


def report_get(actor: Actor, public_id, *, action: str = Action.READ) -> ReportView:
    """One report as the actor may see it; NotFound when there is no ground. Social
    services reads on the duty to report; the reporting side on being the reporter."""
    report = _load(public_id)
    decision = pipeline.disclose_one(
        actor,
        action,
        report,
        subject=str(report.child.public_id) if report.child_id else "",
    ).decision
    handling = report.handling
    role = INTAKE if is_receiver(actor, report) else REPORTER
    entries = Entry.objects.filter(report=report).select_related("in_reply_to")
    if role == REPORTER:
        entries = entries.filter(to_reporter=True)
    view = ReportView(
        report=report,
        handling=handling,
        role=role,
        decision=decision,
        entries=list(entries),
        meetings=list(Meeting.objects.filter(report=report)),
        evaluations=list(Evaluation.objects.filter(report=report)),
    )
    if role == REPORTER:
        _for_reporter(actor, view)
    if role == INTAKE:
        view.deadlines = _deadlines(report, handling, timezone.localdate())
        view.duplicate_count = _duplicate_counts([report]).get(report.pk, 0)
        view.protection_late = _protection_late(report, handling)
    return view


def reports_mine(actor: Actor, *, page: int = 1) -> paging.Page:
    """ "Mina anmälningar", page by page (decision 0092): the reports the actor (or, for
    functions that may register, the actor's organisation) has made, newest first, with
    status and what was sent back. The page's items are ``ReportView``s."""
    result = paging.page_of(
        _list_qs(actor)
        .filter(reporter_organisation_id=actor.organisation_id)
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=Entry.objects.filter(to_reporter=True),
                to_attr="reporter_entries",
            ),
            Prefetch("evaluations", to_attr="all_evaluations"),
        )
        .order_by("-received_at", "-pk"),
        page,
    )
    # Each report decided by the rules (the reporting side's ground), one audit row for
    # the page (access.pipeline).
    reports = _shown(actor, result.items, "Mina anmälningar", page=result.number)
    today = timezone.localdate()
    views = []
    for report in reports:
        view = ReportView(
            report=report,
            handling=report.handling,
            role=REPORTER,
            entries=report.reporter_entries,
            evaluations=report.all_evaluations,
        )
        _for_reporter(actor, view)
        evaluated = {e.organisation_id for e in report.all_evaluations}
        due = _evaluation_due(report, report.handling, evaluated, actor.organisation_id)
        if due:
            view.deadlines.append(Deadline("evaluation", due, deadlines.status(due, today)))
        if report.channel == Channel.ORAL and report.handling.written_received_at is None:
            due = report.handling.written_due
            view.deadlines.append(Deadline("written", due, deadlines.status(due, today)))
        views.append(view)
    result.items = views
    return result


def _intake_ground(report: Report):
    if report.reporter_organisation_id is None:
        return legal.private_report_ground(report)
    return legal.duty_to_report_ground(report)


def report_ground(actor: Actor, report: Report):
    """The ground the actor reads a report on: social services its matter (the duty to
    report, or a private person's report), a reporter its own report."""
    return _intake_ground(report) if is_receiver(actor, report) else reporter_ground(report)


def reports_for_child(actor: Actor, child) -> list[ReportView]:
    """The child overview panel: reports about the child the actor may see — social
    services its matter, the reporting side its own reports' status."""
    reports = _shown(
        actor,
        list(_list_qs(actor).filter(child=child).order_by("-received_at")),
        "Barnöversikt: anmälningar",
    )
    today = timezone.localdate()
    views = []
    for report in reports:
        role = INTAKE if is_receiver(actor, report) else REPORTER
        view = ReportView(report=report, handling=report.handling, role=role)
        if role == INTAKE:
            view.deadlines = _deadlines(report, report.handling, today)
        views.append(view)
    return views


def handler_choices(actor: Actor) -> list[tuple[int, str]]:
    return [
        (
            m.pk,
            f"{m.user.get_full_name()} ({m.function.name}{', ' + m.unit.name if m.unit else ''})",
        )
        for m in directory.memberships_of_organisation(actor.organisation_id)
        if Permission.PEOPLE_REGISTER in m.function.permissions
        and m.function.code in {"socialsekreterare", "mottagningssekreterare", "enhetschef"}
    ]


def reporting_organisation_choices() -> list[tuple[int, str]]:
    from .submission import REPORTING_TYPES

    return [
        (o.pk, o.name) for o in directory.organisation_choices() if o.org_type in REPORTING_TYPES
    ]


def question_get(view: ReportView, entry_public_id) -> Entry | None:
    return next(
        (
            e
            for e in view.entries
            if str(e.public_id) == str(entry_public_id) and e.kind == EntryKind.QUESTION
        ),
        None,
    )


def meeting_get(view: ReportView, meeting_public_id) -> Meeting:
    for meeting in view.meetings:
        if str(meeting.public_id) == str(meeting_public_id):
            return meeting
    raise NotFound(gettext("Mötet finns inte."))


def evaluation_summary(actor: Actor) -> dict:
    """Answers to the evaluation questions for reports the actor's organisation
    received, counted per question and side (organisation type)."""
    # Counted by the database, one row per side and set of answers (decision 0357): the
    # evaluations grow with the municipality, the sets of answers do not (three answers
    # to each of a few questions).
    rows = (
        Evaluation.objects.filter(report__receiving_organisation_id=actor.organisation_id)
        .values_list("organisation_type", "answers")
        .annotate(times=Count("pk"))
        .order_by()
    )
    summary: dict = {key: defaultdict(lambda: defaultdict(int)) for key, _ in EVALUATION_QUESTIONS}
    count = 0
    for org_type, answers, times in rows:
        count += times
        for key, value in answers.items():
            if key in summary:
                summary[key][org_type][value] += times
    return {
        "questions": [
            (text, {k: dict(v) for k, v in summary[key].items()})
            for key, text in EVALUATION_QUESTIONS
        ],
        "count": count,
    }


@dataclass
class Offer:
    """A catalogue statement the handler may send now: true of the matter, with the
    ground it would pass on (None: no ground, and ``reason`` says what is missing)."""

    code: str
    text: str
    ground: str | None
    reason: str = ""


def statements_offered(view: ReportView) -> list[Offer]:
    """The statements that are true of the matter now, each with its ground; a
    statement that contradicts the matter is never offered (and the service refuses
    it)."""
    access = feedback_access(view.report)
    offers = []
    for entry in catalogue.offered(view.facts):
        ground = access.ground_for(entry)
        reason = ""
        if ground is None:
            reason = feedback_decision(report=view.report, statement=entry.code).reason
        offers.append(Offer(entry.code, gettext(entry.text), ground, reason))
    return offers


def tag_authorize(actor: Actor, target_id, child_id) -> Ground:
    """Factor tags on a report: set by those who may read it (the reporting side or
    the intake), on the same ground as the read."""
    report = _load(target_id)
    if str(report.child.public_id) != str(child_id):
        raise NotFound()
    decision = policy.decide(actor, Action.READ, report)
    if not decision.allowed:
        raise NotFound()
    return decision.ground


def tag_visible_for_child(actor: Actor, child_id) -> list:
    """Reports about the child the actor may see (audited like the overview panel)."""
    child = people_selectors.system_child(child_id)
    if child is None:
        return []
    return [view.report.public_id for view in reports_for_child(actor, child)]
