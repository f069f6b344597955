"""The cooperation around the child: booking a three-party meeting, and the evaluation
of the cooperation after closure, per side."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from samverkan.access import passing, policy
from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core import signals
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed

from . import inbox as report_inbox
from . import intake_order, legal
from .models import (
    EntryKind,
    Evaluation,
    Handling,
    Meeting,
    Report,
)
from .writes import _audit, _bounded, _entry, _for_receiver, _open, _text

# The evaluation after closure: yes/no questions (Östermalm appendix 6 and 7), per side.
EVALUATION_QUESTIONS = [
    ("receipt", gettext_lazy("Fick anmälaren bekräftelse på att anmälan kommit in?")),
    (
        "handler_known",
        gettext_lazy("Visste anmälaren vem som handlade ärendet och hur hen nåddes?"),
    ),
    ("feedback", gettext_lazy("Fick anmälaren återkoppling under ärendets gång?")),
    ("cooperation", gettext_lazy("Fungerade samarbetet kring barnet under ärendet?")),
    ("new_report", gettext_lazy("Vet anmälaren när en ny anmälan ska göras?")),
]
ANSWERS = {"ja", "delvis", "nej"}
# As the survey of the evaluations after closed cases counts them (governance).
CASE_ANSWER_VALUES = {"nej": 1, "delvis": 2, "ja": 3}


@transaction.atomic
def meeting_book(
    *,
    actor: Actor,
    report: Report,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    agenda: str = "",
    family_invited: bool = True,
) -> Meeting:
    """Book a three-party meeting (family, reporter, social worker). It needs the
    family's consent for the purpose "trepartssamtal"; never when guardians must not
    be told about the report."""
    handling, _ = _for_receiver(actor, report)
    _open(handling)
    if report.do_not_inform_guardians:
        raise ValidationFailed(
            gettext(
                "Vårdnadshavarna får inte veta om anmälan, så ett trepartssamtal kan inte bokas."
            )
        )
    if report.reporter_organisation_id is None or report.child_id is None:
        raise ValidationFailed(gettext("Trepartssamtal bokas med en anmälande verksamhet."))
    decision = passing.decide(
        child=report.child,
        from_organisation_id=report.receiving_organisation_id,
        to_organisation_id=report.reporter_organisation_id,
        category=legal.REPORT_CATEGORY,
        purpose="trepartssamtal",
        viewer_organisation_id=actor.organisation_id,
    )
    if not decision.allowed:
        raise PermissionDenied(decision.reason, code="no_ground")
    place = _bounded(_text(place, "place", gettext("var mötet hålls"), required=True), "place")
    if ends_at <= starts_at:
        raise ValidationFailed(gettext("Mötet måste sluta efter att det börjar."), field="ends_at")
    if starts_at < timezone.now() - datetime.timedelta(hours=1):
        raise ValidationFailed(gettext("Mötet kan inte bokas bakåt i tiden."), field="starts_at")
    meeting = Meeting.objects.create(
        report=report,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        agenda=_text(agenda, "agenda", "dagordningen"),
        family_invited=family_invited,
        booked_by_id=actor.user_id,
        booked_by_name=actor.label,
    )
    _entry(
        report,
        EntryKind.NOTE,
        actor,
        text=f"Trepartssamtal bokat {timezone.localtime(starts_at):%Y-%m-%d %H:%M}, {place}.",
        to_reporter=True,
    )
    report_inbox.meeting_deliver(report, meeting)
    _audit(actor, Action.CREATE, report, decision.ground, meeting=str(meeting.public_id))
    return meeting


@transaction.atomic
def evaluation_submit(
    *, actor: Actor, report: Report, answers: dict[str, str], comment: str = ""
) -> Evaluation:
    """After closure each side (reporting organisation, social services) evaluates the
    cooperation once; the answers are kept for follow-up."""
    decision = policy.decide(actor, Action.CREATE, report)
    if not decision.allowed:
        raise NotFound(gettext("Anmälan finns inte eller så har du inte behörighet."))
    closed = Handling.objects.filter(report=report, closed_at__isnull=False).exists()
    if not closed:
        raise ValidationFailed(gettext("Samarbetet utvärderas när ärendet är avslutat."))
    keys = {key for key, _ in EVALUATION_QUESTIONS}
    if set(answers) != keys or not set(answers.values()) <= ANSWERS:
        raise ValidationFailed(
            gettext("Svara ja, delvis eller nej på varje fråga."), field="answers"
        )
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                report=report,
                organisation_id=actor.organisation_id,
                organisation_type=actor.organisation_type,
                answers=answers,
                comment=_text(comment, "comment", "kommentaren"),
                answered_by_id=actor.user_id,
                created_at=timezone.now(),
            )
            if actor.organisation_id == report.receiving_organisation_id:
                # The evaluation is one of the stored order's inputs (decision 0361).
                handling = Handling.objects.select_for_update().get(report=report)
                handling.save(update_fields=intake_order.keep(handling, report, evaluated=True))
    except IntegrityError as exc:
        raise ValidationFailed(gettext("Din verksamhet har redan utvärderat ärendet.")) from exc
    report_inbox.evaluated(report, actor.organisation_id, actor.user_id)
    signals.evaluation_submitted.send(
        sender=Evaluation,
        survey="arende",
        user_id=actor.user_id,
        occasion=f"case:{report.public_id}",
        organisation_type=actor.organisation_type,
        answers={key: CASE_ANSWER_VALUES[value] for key, value in answers.items()},
        comment=evaluation.comment,
    )
    _audit(actor, Action.CREATE, report, decision.ground, evaluation=True)
    return evaluation
