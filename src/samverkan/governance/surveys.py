"""Writes of evaluation surveys: the strategy group builds a survey (questions yes/no,
1-5 scale or free text), opens it for the members of a forum or the staff of chosen
organisation types, and closes it; a member of the audience answers once. The
evaluations after meetings and after closed cases arrive through
``core.signals.evaluation_submitted`` and are folded into the two built-in surveys.

Anonymity: an answer is stored with the organisation type and the month only; that the
person has answered is stored apart, without the answers (survey_models.py). The audit
log records that someone answered a survey, never what.
"""

from __future__ import annotations

import datetime
from functools import cache
from pathlib import Path

import yaml
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext

from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core import bounds, signals
from samverkan.core.errors import PermissionDenied, ValidationFailed
from samverkan.directory import selectors as directory
from samverkan.meetings import selectors as meetings
from samverkan.notify import services as notify

from . import policies
from .survey_models import (
    MIN_GROUP_FLOOR,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyAudience,
    SurveyInvitation,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)

DATA = Path(__file__).parent / "data" / "surveys.yaml"
MAX_QUESTIONS = 40
# The inbox item that asks a person to answer a survey after an occasion, and the one
# that tells a survey's audience it is open (survey_occasions.py says what they show).
INVITATION_KIND = "governance.survey"
OPEN_KIND = "governance.survey_open"
MIN_GROUP_CEILING = 50
# The values an answer may take, per kind of question (yes = 1, no = 0).
VALUES = {
    QuestionKind.YES_NO: {0, 1},
    QuestionKind.SCALE5: {1, 2, 3, 4, 5},
    QuestionKind.SCALE4: {1, 2, 3, 4},
    QuestionKind.YES_PARTLY_NO: {1, 2, 3},
}
# Audiences the strategy group may choose. The two "after" audiences are bound to an
# occasion (survey_occasions.py); the built-in evaluations have them too.
BUILDER_AUDIENCES = (
    SurveyAudience.FORUM,
    SurveyAudience.ORG_TYPES,
    SurveyAudience.AFTER_MEETING,
    SurveyAudience.AFTER_CASE,
)
TRIGGERED = (SurveyAudience.AFTER_MEETING, SurveyAudience.AFTER_CASE)
BUILDER_KINDS = (QuestionKind.YES_NO, QuestionKind.SCALE5, QuestionKind.TEXT)


@cache
def definitions() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def _require_strategy_group(actor: Actor | None) -> None:
    if actor is not None and not policies.is_strategy_group(actor):
        raise PermissionDenied(gettext("Bara strategigruppen kan ändra enkäter."))


def _audit(actor, action, survey, *, ground=None, **details):
    audit.event_record(
        actor=actor,
        action=action,
        resource_type="governance.survey",
        resource_id=str(survey.public_id),
        ground=ground or (policies.STRATEGY_GROUP if actor is not None else None),
        details=details,
    )


def _text(value, *, field, max_length, label, required=True) -> str:
    value = bounds.check_text((value or "").strip(), max_length=max_length, field=field)
    if required and not value:
        raise ValidationFailed(gettext("Fyll i %(what)s.") % {"what": label}, field=field)
    return value


# Building -----------------------------------------------------------------------------
@transaction.atomic
def survey_create(
    *,
    actor: Actor | None,
    title: str,
    audience: str,
    introduction: str = "",
    forum=None,
    org_types: list[str] | None = None,
    forum_levels: list[str] | None = None,
    closes_on: datetime.date | None = None,
    min_group: int = 5,
    with_climate_questions: bool = False,
) -> Survey:
    _require_strategy_group(actor)
    title = _text(title, field="title", max_length=bounds.TEXT_NAME, label=gettext("en rubrik"))
    if audience not in BUILDER_AUDIENCES:
        raise ValidationFailed(gettext("Välj vilka som ska svara."), field="audience")
    org_types, forum_levels = _audience(audience, forum, org_types, forum_levels)
    if not MIN_GROUP_FLOOR <= int(min_group) <= MIN_GROUP_CEILING:
        raise ValidationFailed(
            gettext("Minsta gruppstorlek ska vara mellan %(low)s och %(high)s.")
            % {"low": MIN_GROUP_FLOOR, "high": MIN_GROUP_CEILING},
            field="min_group",
        )
    if Survey.objects.filter(title__iexact=title).exists():
        raise ValidationFailed(gettext("Det finns redan en enkät med den rubriken."), field="title")
    try:
        with transaction.atomic():
            survey = Survey.objects.create(
                title=title,
                introduction=_text(
                    introduction,
                    field="introduction",
                    max_length=bounds.TEXT_PARAGRAPH,
                    label="",
                    required=False,
                ),
                audience=audience,
                forum=forum if audience == SurveyAudience.FORUM else None,
                org_types=org_types,
                forum_levels=forum_levels,
                closes_on=closes_on,
                min_group=int(min_group),
                created_by_name=actor.label if actor else "",
            )
    except IntegrityError as exc:
        raise ValidationFailed(
            gettext("Det finns redan en enkät med den rubriken."), field="title"
        ) from exc
    if with_climate_questions:
        for item in definitions()["climate_template"]:
            _question_add(survey, item["kind"], item["text"])
    _audit(
        actor,
        Action.CREATE,
        survey,
        title=title,
        audience=audience,
        org_types=org_types,
        forum_levels=forum_levels,
    )
    return survey


def _audience(audience, forum, org_types, forum_levels) -> tuple[list[str], list[str]]:
    """The organisation types and forum levels the audience keeps, checked."""
    org_types = sorted(set(org_types or []))
    forum_levels = sorted(set(forum_levels or []))
    if audience == SurveyAudience.FORUM and forum is None:
        raise ValidationFailed(gettext("Välj ett forum."), field="forum")
    if org_types and not set(org_types) <= set(directory.organisation_type_labels()):
        raise ValidationFailed(gettext("Okänd sorts verksamhet."), field="org_types")
    if audience == SurveyAudience.ORG_TYPES and not org_types:
        raise ValidationFailed(gettext("Välj minst en sorts verksamhet."), field="org_types")
    if audience == SurveyAudience.AFTER_MEETING:
        if not forum_levels:
            raise ValidationFailed(
                gettext("Välj efter möten i vilka sorters forum enkäten ska skickas."),
                field="forum_levels",
            )
        if not set(forum_levels) <= set(meetings.forum_levels()):
            raise ValidationFailed(gettext("Okänd sorts forum."), field="forum_levels")
    else:
        forum_levels = []
    if audience not in (SurveyAudience.ORG_TYPES, *TRIGGERED):
        org_types = []
    return org_types, forum_levels


def _require_draft(survey: Survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationFailed(
            gettext("Frågorna kan bara ändras medan enkäten är ett utkast."), field="text"
        )


def _question_add(survey: Survey, kind: str, text: str) -> SurveyQuestion:
    position = survey.questions.count() + 1
    if position > MAX_QUESTIONS:
        raise ValidationFailed(gettext("En enkät kan ha högst 40 frågor."), field="text")
    return SurveyQuestion.objects.create(survey=survey, position=position, kind=kind, text=text)


@transaction.atomic
def question_add(*, actor: Actor | None, survey: Survey, kind: str, text: str) -> SurveyQuestion:
    _require_strategy_group(actor)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_draft(survey)
    if kind not in BUILDER_KINDS:
        raise ValidationFailed(gettext("Välj en sorts fråga."), field="kind")
    text = _text(text, field="text", max_length=bounds.TEXT_LINE, label=gettext("frågan"))
    question = _question_add(survey, kind, text)
    _audit(actor, Action.CHANGE, survey, question_added=question.position)
    return question


@transaction.atomic
def question_remove(*, actor: Actor | None, survey: Survey, position: int) -> None:
    _require_strategy_group(actor)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _require_draft(survey)
    deleted, _ = SurveyQuestion.objects.filter(survey=survey, position=position).delete()
    if not deleted:
        raise ValidationFailed(gettext("Frågan finns inte."))
    for question in survey.questions.filter(position__gt=position).order_by("position"):
        question.position -= 1
        question.save(update_fields=["position"])
    _audit(actor, Action.CHANGE, survey, question_removed=position)


@transaction.atomic
def survey_set_status(*, actor: Actor | None, survey: Survey, status: str) -> Survey:
    _require_strategy_group(actor)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.system_code:
        raise ValidationFailed(gettext("De inbyggda utvärderingarna är alltid öppna."))
    allowed = {
        SurveyStatus.DRAFT: {SurveyStatus.OPEN},
        SurveyStatus.OPEN: {SurveyStatus.CLOSED},
        SurveyStatus.CLOSED: {SurveyStatus.OPEN},
    }
    if status not in allowed[survey.status]:
        raise ValidationFailed(gettext("Enkäten kan inte få den statusen nu."))
    if status == SurveyStatus.OPEN and not survey.questions.exists():
        raise ValidationFailed(gettext("Lägg till minst en fråga innan enkäten öppnas."))
    survey.status = status
    survey.save(update_fields=["status", "updated_at"])
    if status == SurveyStatus.OPEN:
        _announce(survey)
    _audit(actor, Action.CHANGE, survey, status=status)
    return survey


def _announce(survey: Survey) -> None:
    """An opened survey reaches its audience's inbox: the staff of the chosen kinds of
    organisation (their organisations' shared inbox, no e-mail) or the forum's member
    functions and convener (whoever holds them; e-mailed). Each reader sees it while
    they may answer (survey_occasions._resolve_open); a survey bound to occasions is
    sent per occasion instead."""
    fields = {"kind": OPEN_KIND, "ref_id": str(survey.public_id), "send_mail": False}
    items = []
    if survey.audience == SurveyAudience.ORG_TYPES:
        for org in directory.organisation_list().filter(org_type__in=survey.org_types):
            items.append(
                notify.inbox_deliver(organisation_id=org.pk, whole_organisation=True, **fields)
            )
    elif survey.audience == SurveyAudience.FORUM:
        forum = survey.forum
        codes = {f.code for f in forum.functions.all()} | {forum.convener_function.code}
        pairs = {(m.organisation_id, c) for m in forum.members.all() for c in codes}
        pairs.add((forum.convener_organisation_id, forum.convener_function.code))
        for org_id, code in sorted(pairs):
            items.append(notify.inbox_deliver(organisation_id=org_id, function_code=code, **fields))
    notify.mail_items([i for i in items if i is not None])


# Answering ----------------------------------------------------------------------------
def in_audience(actor: Actor, survey: Survey) -> bool:
    if not actor.has_membership:
        return False
    if survey.audience == SurveyAudience.ORG_TYPES:
        return actor.organisation_type in survey.org_types
    if survey.audience == SurveyAudience.FORUM:
        return bool(meetings.participation(actor, survey.forum))
    return False  # after an occasion: answered from an invitation (survey_occasions.py)


def may_answer(
    actor: Actor,
    survey: Survey,
    *,
    today: datetime.date | None = None,
    invitation: SurveyInvitation | None = None,
) -> str:
    """Empty when the actor may answer now (for ``invitation``'s occasion, if given),
    else the reason in plain words."""
    today = today or timezone.localdate()
    if survey.status != SurveyStatus.OPEN or (survey.closes_on and survey.closes_on < today):
        return gettext("Enkäten är inte öppen för svar.")
    if invitation is not None:
        if invitation.survey_id != survey.pk or invitation.user_id != actor.user_id:
            return gettext("Enkäten är inte riktad till dig.")
    elif survey.audience in TRIGGERED:
        return gettext(
            "Enkäten skickas till dem som var med, efter varje möte eller avslutat ärende den "
            "gäller. Svara från inbjudan i din inkorg."
        )
    elif not in_audience(actor, survey):
        return gettext("Enkäten är inte riktad till dig.")
    occasion = invitation.occasion if invitation is not None else ""
    if SurveyParticipation.objects.filter(
        survey=survey, user_id=actor.user_id, occasion=occasion
    ).exists():
        return gettext("Du har redan svarat på enkäten. Tack!")
    return ""


def waiting_for(actor: Actor, *, today: datetime.date | None = None) -> list[Survey]:
    """The open surveys addressed to the actor that they have not answered yet (the
    survey list and the start page show them: that is how a survey reaches people)."""
    if not actor.has_membership:
        return []
    today = today or timezone.localdate()
    answered = SurveyParticipation.objects.filter(user_id=actor.user_id, occasion="")
    candidates = (
        Survey.objects.filter(status=SurveyStatus.OPEN, system_code="")
        .exclude(closes_on__lt=today)
        .exclude(pk__in=answered.values("survey_id"))
        .select_related("forum")
    )
    return [s for s in candidates if in_audience(actor, s)]


def _store(survey, *, user_id, occasion, organisation_type, values, texts, today) -> bool:
    """Write the participation and the anonymous response; False if already answered."""
    try:
        with transaction.atomic():
            SurveyParticipation.objects.create(
                survey=survey, user_id=user_id, occasion=occasion, answered_on=today
            )
    except IntegrityError:
        return False
    response = SurveyResponse.objects.create(
        survey=survey, organisation_type=organisation_type or "", month=today.replace(day=1)
    )
    rows = [SurveyAnswer(response=response, question=q, value=v) for q, v in values]
    rows += [SurveyAnswer(response=response, question=q, text=t) for q, t in texts if t]
    SurveyAnswer.objects.bulk_create(rows)
    return True


@transaction.atomic
def answer_submit(
    *,
    actor: Actor,
    survey: Survey,
    answers: dict[int, str],
    today: datetime.date | None = None,
    invitation: SurveyInvitation | None = None,
) -> None:
    """``answers``: {question position: the raw value from the form}. Every question
    with a scale or yes/no must be answered; free text is optional. With an
    ``invitation`` (a survey after an occasion) the answer is for its occasion and
    counts under the organisation type the person took part for."""
    today = today or timezone.localdate()
    reason = may_answer(actor, survey, today=today, invitation=invitation)
    if reason:
        raise ValidationFailed(reason)
    values, texts = [], []
    for question in survey.questions.all():
        raw = answers.get(question.position)
        if question.kind == QuestionKind.TEXT:
            text = bounds.check_text(
                (raw or "").strip(), max_length=bounds.TEXT_PARAGRAPH, field=f"q{question.position}"
            )
            texts.append((question, text))
            continue
        value = bounds.parse_int(raw, low=0, high=9)
        if value not in VALUES[question.kind]:
            raise ValidationFailed(gettext("Svara på frågan."), field=f"q{question.position}")
        values.append((question, value))
    stored = _store(
        survey,
        user_id=actor.user_id,
        occasion=invitation.occasion if invitation else "",
        organisation_type=invitation.organisation_type if invitation else actor.organisation_type,
        values=values,
        texts=texts,
        today=today,
    )
    if not stored:
        raise ValidationFailed(gettext("Du har redan svarat på enkäten. Tack!"))
    if invitation is not None:
        notify.inbox_close(
            kind=INVITATION_KIND, ref_id=str(invitation.public_id), user_id=actor.user_id
        )
    _audit(actor, Action.CREATE, survey, ground=policies.SURVEY_RESPONDENT, answered=True)


@transaction.atomic
def responses_import(*, actor: Actor | None, survey: Survey, rows: list[tuple]) -> int:
    """Enter answers collected on paper (at a meeting place, say): ``rows`` of
    (organisation type, month, {question position: value or text}). Anonymous like every
    response; nobody's participation is recorded. The strategy group only."""
    _require_strategy_group(actor)
    known = set(directory.organisation_type_labels())
    questions = {q.position: q for q in survey.questions.all()}
    made = 0
    for org_type, month, answers in rows:
        if org_type not in known:
            raise ValidationFailed(gettext("Okänd sorts verksamhet."), field="org_types")
        response = SurveyResponse.objects.create(
            survey=survey, organisation_type=org_type, month=month.replace(day=1)
        )
        answer_rows = []
        for position, raw in answers.items():
            question = questions.get(position)
            if question is None:
                raise ValidationFailed(gettext("Frågan finns inte."))
            if question.kind == QuestionKind.TEXT:
                text = bounds.check_text(str(raw).strip(), max_length=bounds.TEXT_PARAGRAPH)
                if text:
                    answer_rows.append(
                        SurveyAnswer(response=response, question=question, text=text)
                    )
            elif raw in VALUES[question.kind]:
                answer_rows.append(SurveyAnswer(response=response, question=question, value=raw))
            else:
                raise ValidationFailed(gettext("Svara på frågan."))
        SurveyAnswer.objects.bulk_create(answer_rows)
        made += 1
    _audit(actor, Action.CREATE, survey, imported=made)
    return made


# The built-in evaluations -------------------------------------------------------------
def system_survey(code: str) -> Survey:
    """The built-in survey ``code`` ("mote", "arende"), created from the data file if it
    is missing."""
    survey = Survey.objects.filter(system_code=code).first()
    if survey is not None:
        return survey
    spec = definitions()["system"][code]
    survey, created = Survey.objects.get_or_create(
        system_code=code,
        defaults={
            "title": spec["title"],
            "introduction": spec["introduction"],
            "audience": spec["audience"],
            "status": SurveyStatus.OPEN,
        },
    )
    if created:
        for position, item in enumerate(spec["questions"], start=1):
            SurveyQuestion.objects.create(
                survey=survey,
                position=position,
                kind=item["kind"],
                text=item["text"],
                code=item["code"],
            )
    return survey


@receiver(signals.evaluation_submitted, dispatch_uid="governance.fold_evaluation")
def fold_evaluation(
    sender, *, survey, user_id, occasion, organisation_type, answers, comment, **kwargs
):
    target = system_survey(survey)
    questions = {q.code: q for q in target.questions.all()}
    values = [
        (questions[code], int(value))
        for code, value in answers.items()
        if code in questions and value is not None
    ]
    texts = [(questions["comment"], (comment or "").strip())] if "comment" in questions else []
    _store(
        target,
        user_id=user_id,
        occasion=occasion,
        organisation_type=organisation_type,
        values=values,
        texts=texts,
        today=timezone.localdate(),
    )
