"""Writes of forums, meetings, agenda items, minutes, action items, evaluations,
escalations and calendar tokens. Each function is one transaction and writes its audit
row with the legal ground it rests on."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from samverkan.access import passing, policy
from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.audit.services import Ground
from samverkan.consent import sharing
from samverkan.core import bounds, signals
from samverkan.core.errors import NotFound, PermissionDenied, StaleWrite, ValidationFailed
from samverkan.core.unique import create_or_refuse
from samverkan.directory import selectors as directory
from samverkan.people import selectors as people

from . import conf, deidentify
from . import inbox as meetings_inbox
from .models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    Cadence,
    CalendarToken,
    Escalation,
    EscalationStatus,
    EscalationStep,
    Evaluation,
    Forum,
    ForumOrganisation,
    ItemKind,
    Level,
    Meeting,
    MeetingStatus,
    MinutesCorrection,
)

PURPOSE = "samverkanstraff"
CATEGORIES = {
    "skolsituation": gettext_lazy("Skolsituation och närvaro"),
    "halsa": gettext_lazy("Hälsa"),
    "social_situation": gettext_lazy("Social situation och familj"),
    "insatser": "Insatser",
}
EVALUATION_QUESTIONS = [
    ("purpose", gettext_lazy("Var mötets syfte tydligt?")),
    ("right_people", gettext_lazy("Var rätt funktioner med?")),
    ("useful", gettext_lazy("Fick du med dig något du kan använda i ditt arbete?")),
    ("climate", gettext_lazy("Kunde alla komma till tals?")),
]
EVALUATION_SCALE = [
    (1, gettext_lazy("Nej, inte alls")),
    (2, gettext_lazy("Nej, inte helt")),
    (3, "Ja, delvis"),
    (4, "Ja, helt"),
]
SYSTEM_GROUND = Ground(code="system", label=gettext_lazy("Systemet (schemalagt arbete)"))


class IdentifyingText(ValidationFailed):
    """An anonymised text that identifies someone: ``findings`` lists every passage in
    every field (each with its ``field``); ``field`` is the first field concerned.
    ``warnings_only`` when nothing but the small-group warning stopped it (the author
    may confirm that nobody can be recognised and send it again)."""

    def __init__(self, findings: list[deidentify.Finding]):
        self.findings = findings
        self.warnings_only = all(f.severity == deidentify.WARNING for f in findings)
        super().__init__(
            deidentify.summary(findings),
            field=findings[0].field if findings else None,
            code="small_group" if self.warnings_only else "identifying",
        )

    def by_field(self) -> dict[str, list[deidentify.Finding]]:
        fields: dict[str, list[deidentify.Finding]] = {}
        for finding in self.findings:
            fields.setdefault(finding.field, []).append(finding)
        return fields


class ConsentMissing(PermissionDenied):
    """An identified item that a consent does not cover for every attending
    organisation; ``reasons`` names each organisation and why."""

    def __init__(self, reasons: list[str]):
        super().__init__(
            gettext("Ärendet kan inte tas upp med namn: ")
            + " ".join(str(reason) for reason in reasons)
            + gettext(" Ta upp det som en avidentifierad ärendekonsultation i stället."),
            field="child",
            code="consent_missing",
        )
        self.reasons = reasons


def _audit(actor, action, resource_type, resource, ground, *, subject_id="", **details):
    audit.event_record(
        actor=actor,
        action=action,
        resource_type=resource_type,
        resource_id=str(resource.public_id),
        subject_id=subject_id,
        ground=ground,
        details=details,
    )


def _require(actor: Actor, action: str, resource) -> policy.Decision:
    decision = policy.decide(actor, action, resource)
    if not decision:
        raise PermissionDenied(decision.reason)
    return decision


def _require_unlocked(meeting: Meeting) -> None:
    if meeting.is_locked:
        raise ValidationFailed(
            gettext("Protokollet är justerat och låst. Lägg till en rättelse i stället."),
            code="locked",
        )


# Forums ------------------------------------------------------------------------------


@transaction.atomic
def forum_create(
    *,
    actor: Actor | None,
    name: str,
    level: str,
    cadence: str,
    convener_organisation_id: int,
    convener_function_code: str,
    organisation_ids: list[int],
    function_codes: list[str],
    purpose: str,
    goals: str = "",
    target_group: str = "",
    min_age: int | None = None,
    max_age: int | None = None,
    way_of_working: str = "",
    weekday: int = 1,
    start_time: datetime.time = datetime.time(13, 0),
    duration_minutes: int = 90,
    location: str = "",
) -> Forum:
    """Set up a forum. ``actor=None`` is the system (the demo loader)."""
    if level not in Level.values or cadence not in Cadence.values:
        raise ValidationFailed(gettext("Välj nivå och mötesfrekvens."), field="level")
    if not name.strip() or not purpose.strip():
        raise ValidationFailed(gettext("Ange forumets namn och syfte."), field="name")
    if Forum.objects.filter(name=name.strip()).exists():
        raise ValidationFailed(gettext("Det finns redan ett forum med det namnet."), field="name")
    if min_age is not None and max_age is not None and max_age < min_age:
        raise ValidationFailed(gettext("Åldersspannet är omvänt."), field="max_age")
    if not 0 <= weekday <= 6:
        raise ValidationFailed(gettext("Välj en veckodag."), field="weekday")
    members = set(organisation_ids) | {convener_organisation_id}
    known = directory.organisations_by_ids(members)
    if len(known) != len(members):
        raise ValidationFailed(
            gettext("En av de valda verksamheterna finns inte."), field="organisations"
        )
    functions = {f.code: f for f in directory.function_choices()}
    if convener_function_code not in functions or not set(function_codes) <= set(functions):
        raise ValidationFailed(
            gettext("En av de valda funktionerna finns inte."), field="functions"
        )
    forum = Forum(
        name=name.strip(),
        level=level,
        cadence=cadence,
        convener_organisation_id=convener_organisation_id,
        convener_function=functions[convener_function_code],
        purpose=purpose.strip(),
        goals=goals.strip(),
        target_group=target_group.strip(),
        min_age=min_age,
        max_age=max_age,
        way_of_working=way_of_working.strip(),
        weekday=weekday,
        start_time=start_time,
        duration_minutes=duration_minutes,
        location=location.strip(),
    )
    ground = SYSTEM_GROUND if actor is None else _require(actor, Action.CREATE, forum).ground
    with create_or_refuse("Det finns redan ett forum med det namnet.", field="name"):
        forum.save()
    ForumOrganisation.objects.bulk_create(
        [ForumOrganisation(forum=forum, organisation_id=o) for o in sorted(members)]
    )
    forum.functions.set([functions[c] for c in set(function_codes) | {convener_function_code}])
    _audit(actor, Action.CREATE, "meetings.forum", forum, ground, members=sorted(members))
    return forum


def _next_occurrences(forum: Forum, start: datetime.date, until: datetime.date):
    """The dates the cadence gives between start and until (inclusive)."""
    day = start + datetime.timedelta(days=(forum.weekday - start.weekday()) % 7)
    if forum.cadence == Cadence.WEEKLY:
        while day <= until:
            yield day
            day += datetime.timedelta(days=7)
        return
    # Monthly, termly, yearly: the first of the forum's weekday in the month (terms:
    # February and September; yearly: September).
    months = {
        Cadence.MONTHLY: range(1, 13),
        Cadence.TERMLY: (2, 9),
        Cadence.YEARLY: (9,),
    }[forum.cadence]
    year, month = start.year, start.month
    while datetime.date(year, month, 1) <= until:
        if month in months:
            first = datetime.date(year, month, 1)
            day = first + datetime.timedelta(days=(forum.weekday - first.weekday()) % 7)
            if start <= day <= until:
                yield day
        month = month % 12 + 1
        year += month == 1


def _create_meeting(forum: Forum, starts_at, ends_at, location: str, from_cadence: bool):
    meeting = Meeting.objects.create(
        forum=forum,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location or forum.location,
        from_cadence=from_cadence,
    )
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, organisation_id=org_id)
            for org_id in forum.members.values_list("organisation_id", flat=True)
        ]
    )
    return meeting


def meetings_generate(
    *, forum: Forum | None = None, today: datetime.date | None = None, days: int | None = None
) -> int:
    """Create the meetings each forum's cadence gives for the coming ``days`` (once
    each: safe to run repeatedly and concurrently). Returns how many were created."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=days or conf.get("MEETINGS_GENERATE_DAYS"))
    forums = [forum] if forum else Forum.objects.filter(is_active=True)
    created = 0
    for f in forums:
        for day in _next_occurrences(f, today, until):
            starts_at = timezone.make_aware(datetime.datetime.combine(day, f.start_time))
            ends_at = starts_at + datetime.timedelta(minutes=f.duration_minutes)
            try:
                with transaction.atomic():
                    meeting = _create_meeting(f, starts_at, ends_at, f.location, True)
                    meetings_inbox.meeting_invite(meeting)
            except IntegrityError:
                continue  # already there
            created += 1
    return created


@transaction.atomic
def meeting_book(
    *,
    actor: Actor,
    forum: Forum,
    starts_at: datetime.datetime,
    duration_minutes: int = 90,
    location: str = "",
) -> Meeting:
    """Book an extra meeting outside the cadence (convener only)."""
    probe = Meeting(forum=forum)
    decision = _require(actor, Action.CHANGE, probe)
    bounds.check_date(starts_at, window=bounds.PLANNED, field="starts_at")
    bounds.check_int(duration_minutes, low=15, high=480, field="duration_minutes")
    if Meeting.objects.filter(forum=forum, starts_at=starts_at).exists():
        raise ValidationFailed(gettext("Forumet har redan ett möte den tiden."), field="starts_at")
    with create_or_refuse(gettext("Forumet har redan ett möte den tiden."), field="starts_at"):
        meeting = _create_meeting(
            forum,
            starts_at,
            starts_at + datetime.timedelta(minutes=duration_minutes),
            location,
            False,
        )
    meetings_inbox.meeting_invite(meeting)
    _audit(actor, Action.CREATE, "meetings.meeting", meeting, decision.ground)
    return meeting


@transaction.atomic
def attendance_set(
    *,
    actor: Actor,
    meeting: Meeting,
    organisation_id: int,
    present: bool | None,
    participants: str = "",
) -> Attendance:
    """Record whether an organisation attends (convener). An organisation that is not a
    forum member may be invited to one meeting; identified items are then shown to it
    only if a consent covers it."""
    decision = _require(actor, Action.CHANGE, meeting)
    if not directory.organisation_exists(organisation_id):
        raise ValidationFailed(gettext("Verksamheten finns inte."), field="organisation")
    row, _ = Attendance.objects.update_or_create(
        meeting=meeting,
        organisation_id=organisation_id,
        defaults={"present": present, "participants": participants.strip()},
    )
    _audit(
        actor,
        Action.CHANGE,
        "meetings.meeting",
        meeting,
        decision.ground,
        attendance={"organisation_id": organisation_id, "present": present},
    )
    return row


# Agenda items ------------------------------------------------------------------------


def check_anonymised(actor: Actor, *texts: tuple[str, str], reviewed: bool = False) -> None:
    """Raise ``IdentifyingText`` with every identifying passage in every field (name,
    text). The names checked are the common Swedish names and those of the children
    and guardians the author may see; never names the author could not look up.
    A small-group warning alone passes when the author has ``reviewed`` the text."""
    first_names, surnames = people.names_visible_to(actor)
    lex = deidentify.lexicon(
        first_names=first_names, surnames=surnames, unit_names=directory.unit_names()
    )
    findings = deidentify.check_fields(texts, lex=lex)
    if findings and not (reviewed and all(f.severity == deidentify.WARNING for f in findings)):
        raise IdentifyingText(findings)


def attending_organisation_ids(meeting: Meeting) -> list[int]:
    """Who counts as attending: every organisation on the attendance list that is not
    recorded as absent."""
    return sorted(
        meeting.attendances.exclude(present=False).values_list("organisation_id", flat=True)
    )


def identified_coverage(actor: Actor, meeting: Meeting, child, category: str):
    """For an identified item: the decision per attending organisation (from the
    author's organisation, through ``access.passing``). Returns (allowed decisions,
    reasons for refusal)."""
    allowed, reasons = [], []
    names = directory.organisations_by_ids(attending_organisation_ids(meeting))
    ordered = [o for o, _ in sorted(names.items(), key=lambda kv: kv[1].name)]
    decisions = passing.decide_each(
        actor, child=child, to_organisation_ids=ordered, category=category, purpose=PURPOSE
    )
    for org_id, decision in decisions.items():
        if decision.allowed:
            allowed.append(decision)
        else:
            reasons.append(f"{names[org_id].name}: {decision.reason}")
    return allowed, reasons


def _require_own_matter(actor: Actor, child) -> None:
    """A case is raised by name only by an organisation with its own open matter about
    the child: what it brings is its own information."""
    if not any(
        i.organisation_id == actor.organisation_id and i.ended_at is None
        for i in people.system_involvements(child)
    ):
        raise ValidationFailed(
            gettext(
                "%(organisation_name)s har inget eget ärende om barnet och kan inte ta "
                "upp det med namn."
            )
            % {"organisation_name": actor.organisation_name},
            field="child",
        )


@transaction.atomic
def item_add(
    *,
    actor: Actor,
    meeting: Meeting,
    kind: str,
    title: str,
    text: str = "",
    child=None,
    category: str = "",
    reviewed: bool = False,
) -> AgendaItem:
    """Put an item on the agenda. General questions and anonymised consultations must
    not identify anyone (checked before saving); an identified case needs a consent
    that covers every attending organisation for the purpose samverkansträff."""
    decision = policy.decide(actor, Action.CREATE, meeting)
    if not decision:
        raise NotFound(gettext("Mötet finns inte eller så har du inte behörighet."))
    _require_unlocked(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationFailed(gettext("Mötet är inställt."))
    if kind not in ItemKind.values:
        raise ValidationFailed(gettext("Välj vilken sorts punkt det är."), field="kind")
    if not title.strip():
        raise ValidationFailed(gettext("Skriv en rubrik."), field="title")
    subject_id = ""
    consent_reference = ""
    if kind == ItemKind.IDENTIFIED:
        if child is None:
            raise ValidationFailed(gettext("Välj barnet ärendet gäller."), field="child")
        if category not in CATEGORIES:
            raise ValidationFailed(
                gettext("Välj vilket slags uppgifter som tas upp."), field="category"
            )
        own = policy.decide(actor, Action.READ, child)
        if not own:
            raise NotFound(gettext("Barnet finns inte eller så har du inte behörighet."))
        _require_own_matter(actor, child)
        allowed, reasons = identified_coverage(actor, meeting, child, category)
        if reasons:
            raise ConsentMissing(reasons)
        consents = sorted({d.ground.reference for d in allowed if d.ground.code == sharing.CONSENT})
        consent_reference = ",".join(consents)
        subject_id = str(child.public_id)
        ground = allowed[0].ground if allowed else own.ground
    else:
        child, category = None, ""
        check_anonymised(actor, ("title", title), ("text", text), reviewed=reviewed)
        ground = decision.ground
    item = AgendaItem.objects.create(
        meeting=meeting,
        kind=kind,
        title=title.strip(),
        text=text.strip(),
        author_organisation_id=actor.organisation_id,
        author_name=actor.label,
        child=child,
        category=category,
        consent_reference=consent_reference,
    )
    _audit(
        actor,
        Action.CREATE,
        "meetings.agendaitem",
        item,
        ground,
        subject_id=subject_id,
        meeting=str(meeting.public_id),
        kind=kind,
        consents=consent_reference,
    )
    return item


@transaction.atomic
def item_decide(*, actor: Actor, item: AgendaItem, decision: str) -> AgendaItem:
    """Record what the meeting decided on an item (part of the minutes)."""
    allowed = _require(actor, Action.CHANGE, item.meeting)
    _require_unlocked(item.meeting)
    if item.kind == ItemKind.IDENTIFIED:
        # Only while the item may be shown to the convener's organisation.
        shown = passing.decide(
            viewer_organisation_id=actor.organisation_id,
            child=item.child,
            from_organisation_id=item.author_organisation_id,
            to_organisation_id=actor.organisation_id,
            category=item.category,
            purpose=PURPOSE,
        )
        if not shown:
            raise PermissionDenied(shown.reason)
        allowed = shown
    else:
        check_anonymised(actor, ("decision", decision))
    item.decision = decision.strip()
    item.save(update_fields=["decision", "updated_at"])
    _audit(
        actor,
        Action.CHANGE,
        "meetings.agendaitem",
        item,
        allowed.ground,
        subject_id=str(item.child.public_id) if item.child_id else "",
    )
    return item


# Minutes -----------------------------------------------------------------------------


@transaction.atomic
def minutes_save(*, actor: Actor, meeting: Meeting, minutes: str, version: int) -> Meeting:
    """Write the minutes (convener). They are about the meeting, not about a named
    child: the same check as for anonymised text applies."""
    decision = _require(actor, Action.CHANGE, meeting)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_unlocked(locked)
    if locked.version != version:
        raise StaleWrite(
            gettext(
                "Någon annan har sparat protokollet medan du skrev. Din text är inte sparad men "
                "finns kvar i rutan; den senast sparade texten står bredvid. För samman dem och "
                "spara igen."
            ),
            field="minutes",
            code="stale",
        )
    check_anonymised(actor, ("minutes", minutes))
    locked.minutes = minutes.strip()
    locked.version += 1
    locked.save(update_fields=["minutes", "version", "updated_at"])
    _audit(actor, Action.CHANGE, "meetings.meeting", locked, decision.ground, minutes=True)
    return locked


@transaction.atomic
def meeting_close(*, actor: Actor, meeting: Meeting, cancelled: bool = False) -> Meeting:
    """Mark the meeting as held (or cancelled). Its open action items carry over to the
    forum's next meeting."""
    decision = _require(actor, Action.CHANGE, meeting)
    _require_unlocked(meeting)
    if not cancelled and meeting.starts_at > timezone.now():
        raise ValidationFailed(
            gettext(
                "Mötet har inte börjat än (%(localtime)s), så det kan inte markeras som "
                "genomfört. Ställ in det om det inte blir av."
            )
            % {"localtime": format(timezone.localtime(meeting.starts_at), "%Y-%m-%d %H:%M")},
            field="status",
            code="not_started",
        )
    meeting.status = MeetingStatus.CANCELLED if cancelled else MeetingStatus.HELD
    meeting.save(update_fields=["status", "updated_at"])
    if cancelled:
        meetings_inbox.meeting_invite(meeting, cancel=True)
    else:
        meetings_inbox.held(meeting)
    _audit(
        actor, Action.CHANGE, "meetings.meeting", meeting, decision.ground, status=meeting.status
    )
    return meeting


@transaction.atomic
def minutes_approve(*, actor: Actor, meeting: Meeting) -> Meeting:
    """Approve (justera) the minutes: from now on they are locked."""
    decision = _require(actor, Action.CHANGE, meeting)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_unlocked(locked)
    if locked.status != MeetingStatus.HELD:
        raise ValidationFailed(gettext("Markera mötet som genomfört innan protokollet justeras."))
    locked.minutes_approved_at = timezone.now()
    locked.minutes_approved_by = actor.label
    locked.save(update_fields=["minutes_approved_at", "minutes_approved_by", "updated_at"])
    _audit(actor, Action.CHANGE, "meetings.meeting", locked, decision.ground, approved=True)
    return locked


@transaction.atomic
def correction_add(*, actor: Actor, meeting: Meeting, text: str) -> MinutesCorrection:
    """Append a correction to approved minutes; the minutes themselves never change."""
    decision = _require(actor, Action.CHANGE, meeting)
    if not meeting.is_locked:
        raise ValidationFailed(
            gettext("Protokollet är inte justerat: ändra det direkt."), field="text"
        )
    if not text.strip():
        raise ValidationFailed(gettext("Skriv rättelsen."), field="text")
    check_anonymised(actor, ("text", text))
    row = MinutesCorrection.objects.create(
        meeting=meeting, text=text.strip(), author_name=actor.label
    )
    _audit(actor, Action.CHANGE, "meetings.meeting", meeting, decision.ground, correction=row.pk)
    return row


# Action items ------------------------------------------------------------------------


@transaction.atomic
def action_add(
    *,
    actor: Actor,
    meeting: Meeting,
    text: str,
    responsible_organisation_id: int,
    due_date: datetime.date,
    responsible_function_code: str = "",
    responsible_person: str = "",
) -> ActionItem:
    decision = _require(actor, Action.CREATE, meeting)
    _require_unlocked(meeting)
    if not text.strip():
        raise ValidationFailed(gettext("Beskriv åtgärden."), field="text")
    check_anonymised(actor, ("text", text))
    if not directory.organisation_exists(responsible_organisation_id):
        raise ValidationFailed(
            gettext("Verksamheten finns inte."), field="responsible_organisation"
        )
    function = None
    if responsible_function_code:
        function = directory.function_choices().filter(code=responsible_function_code).first()
        if function is None:
            raise ValidationFailed(gettext("Funktionen finns inte."), field="responsible_function")
    if function is None and not responsible_person.strip():
        raise ValidationFailed(
            gettext("Ange ansvarig funktion eller person."), field="responsible_function"
        )
    row = ActionItem.objects.create(
        forum=meeting.forum,
        meeting=meeting,
        text=text.strip(),
        responsible_organisation_id=responsible_organisation_id,
        responsible_function=function,
        responsible_person=responsible_person.strip(),
        due_date=due_date,
    )
    meetings_inbox.action_deliver(row)
    _audit(actor, Action.CREATE, "meetings.actionitem", row, decision.ground)
    return row


@transaction.atomic
def action_set_status(*, actor: Actor, action: ActionItem, status: str) -> ActionItem:
    """Mark an action item done, struck or open again (any participant)."""
    decision = _require(actor, Action.CREATE, action.meeting)
    if status not in ActionStatus.values:
        raise ValidationFailed(gettext("Okänd status."), field="status")
    action.status = status
    action.done_on = timezone.localdate() if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "done_on", "updated_at"])
    if status != ActionStatus.OPEN:
        meetings_inbox.action_settled(action, actor.user_id)
    _audit(actor, Action.CHANGE, "meetings.actionitem", action, decision.ground, status=status)
    return action


def actions_remind(*, now: datetime.datetime | None = None) -> int:
    """Stamp the open action items due within the reminder window (once each); they are
    listed as reminders on the responsible organisation's forum page."""
    now = now or timezone.now()
    horizon = timezone.localdate(now) + datetime.timedelta(days=conf.get("MEETINGS_REMINDER_DAYS"))
    return ActionItem.objects.filter(
        status=ActionStatus.OPEN, due_date__lte=horizon, reminded_at__isnull=True
    ).update(reminded_at=now)


def meetings_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The periodic work: meetings from the cadence, reminders of action items."""
    now = now or timezone.now()
    return {
        "generated": meetings_generate(today=timezone.localdate(now)),
        "reminded": actions_remind(now=now),
    }


# Evaluation --------------------------------------------------------------------------


@transaction.atomic
def evaluation_submit(
    *, actor: Actor, meeting: Meeting, answers: dict[str, int], comment: str = ""
) -> Evaluation:
    decision = _require(actor, Action.READ, meeting)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationFailed(gettext("Utvärdera mötet när det är genomfört."))
    codes = {code for code, _ in EVALUATION_QUESTIONS}
    scale = {value for value, _ in EVALUATION_SCALE}
    if set(answers) != codes or not set(answers.values()) <= scale:
        raise ValidationFailed(gettext("Svara på alla frågor."), field="answers")
    check_anonymised(actor, ("comment", comment))
    try:
        with transaction.atomic():
            row = Evaluation.objects.create(
                meeting=meeting,
                user_id=actor.user_id,
                organisation_id=actor.organisation_id,
                answers=answers,
                comment=comment.strip(),
            )
    except IntegrityError as exc:
        raise ValidationFailed(gettext("Du har redan utvärderat mötet.")) from exc
    signals.evaluation_submitted.send(
        sender=Evaluation,
        survey="mote",
        user_id=actor.user_id,
        occasion=f"meeting:{meeting.public_id}",
        organisation_type=actor.organisation_type,
        answers=answers,
        comment=row.comment,
    )
    _audit(actor, Action.CREATE, "meetings.meeting", meeting, decision.ground, evaluation=row.pk)
    return row


# Escalation --------------------------------------------------------------------------


def _chain() -> list[dict]:
    return conf.get("MEETINGS_ESCALATION_CHAIN")


def _step_owner(escalation: Escalation, position: int) -> tuple[Forum | None, int]:
    spec = _chain()[position]
    forum = Forum.objects.filter(name=spec.get("forum") or "", is_active=True).first()
    if forum is not None:
        return forum, forum.convener_organisation_id
    if position == 0:
        return None, escalation.raised_by_organisation_id
    # A joint body (or the political forum) without a named forum: the broadest forum
    # both organisations are members of at the matching level, else the raising side.
    levels = {1: Level.BASE, 2: Level.UNIT_MANAGER, 3: Level.POLITICAL}
    candidates = (
        Forum.objects.filter(
            is_active=True,
            level=levels.get(position, Level.POLITICAL),
            members__organisation_id=escalation.raised_by_organisation_id,
        )
        .filter(
            pk__in=ForumOrganisation.objects.filter(
                organisation_id=escalation.counterpart_organisation_id
            ).values("forum")
        )
        .prefetch_related("members")
    )
    joint = min(candidates, key=lambda f: (-len(f.members.all()), f.name), default=None)
    if joint is not None:
        return joint, joint.convener_organisation_id
    return None, escalation.raised_by_organisation_id


def _start_step(escalation: Escalation, position: int, now) -> EscalationStep:
    spec = _chain()[position]
    forum, owner = _step_owner(escalation, position)
    step = EscalationStep.objects.create(
        escalation=escalation,
        position=position,
        name=spec["name"],
        forum=forum,
        owner_organisation_id=owner,
        deadline=timezone.localdate(now) + datetime.timedelta(days=int(spec["days"])),
        started_at=now,
    )
    meetings_inbox.step_deliver(escalation, step)
    return step


@transaction.atomic
def escalation_open(
    *,
    actor: Actor,
    title: str,
    description: str,
    counterpart_organisation_id: int,
    child=None,
    category: str = "insatser",
    reviewed: bool = False,
) -> Escalation:
    """Open an escalation of a disagreement about responsibility. Anonymised (the text
    is checked) or about a named child under a consent that covers passing the
    information to the other organisation."""
    if not title.strip() or not description.strip():
        raise ValidationFailed(gettext("Skriv rubrik och beskrivning."), field="title")
    if counterpart_organisation_id == actor.organisation_id:
        raise ValidationFailed(gettext("Välj den andra verksamheten."), field="counterpart")
    if not directory.organisation_exists(counterpart_organisation_id):
        raise ValidationFailed(gettext("Verksamheten finns inte."), field="counterpart")
    escalation = Escalation(
        title=title.strip(),
        description=description.strip(),
        raised_by_organisation_id=actor.organisation_id,
        raised_by_name=actor.label,
        counterpart_organisation_id=counterpart_organisation_id,
    )
    decision = _require(actor, Action.CREATE, escalation)
    subject_id = ""
    if child is None:
        check_anonymised(actor, ("title", title), ("description", description), reviewed=reviewed)
    else:
        if not policy.decide(actor, Action.READ, child):
            raise NotFound(gettext("Barnet finns inte eller så har du inte behörighet."))
        _require_own_matter(actor, child)
        shared = passing.decide(
            child=child,
            from_organisation_id=actor.organisation_id,
            to_organisation_id=counterpart_organisation_id,
            category=category,
            purpose=PURPOSE,
            viewer_organisation_id=actor.organisation_id,
        )
        if not shared:
            raise ConsentMissing([shared.reason])
        escalation.child = child
        escalation.consent_reference = shared.ground.reference
        decision = shared
        subject_id = str(child.public_id)
    now = timezone.now()
    escalation.save()
    _start_step(escalation, 0, now)
    _audit(
        actor,
        Action.CREATE,
        "meetings.escalation",
        escalation,
        decision.ground,
        subject_id=subject_id,
    )
    return escalation


@transaction.atomic
def escalation_step_record(
    *,
    actor: Actor,
    step: EscalationStep,
    positions: str,
    decision: str,
    outcome: str,
) -> EscalationStep:
    """The step's owner records the parties' positions and the decision; ``outcome``
    is "resolved" (the escalation ends) or "escalate" (the next step starts)."""
    escalation = step.escalation
    allowed = _require(actor, Action.CHANGE, escalation)
    if actor.organisation_id != step.owner_organisation_id:
        raise PermissionDenied(gettext("Bara stegets ägare kan registrera beslutet."))
    if step.decided_at is not None:
        raise ValidationFailed(gettext("Steget är redan avgjort."))
    if outcome not in {"resolved", "escalate"}:
        raise ValidationFailed(
            gettext("Välj om frågan är avgjord eller ska lyftas."), field="outcome"
        )
    if not decision.strip():
        raise ValidationFailed(gettext("Skriv beslutet."), field="decision")
    if escalation.child_id is None:
        check_anonymised(actor, ("positions", positions), ("decision", decision))
    now = timezone.now()
    step.positions = positions.strip()
    step.decision = decision.strip()
    step.decided_at = now
    step.save(update_fields=["positions", "decision", "decided_at"])
    meetings_inbox.step_decided(escalation, actor.user_id)
    if outcome == "escalate":
        if step.position + 1 >= len(_chain()):
            raise ValidationFailed(gettext("Det finns inget steg över detta."), field="outcome")
        _start_step(escalation, step.position + 1, now)
    else:
        escalation.status = EscalationStatus.RESOLVED
        escalation.save(update_fields=["status", "updated_at"])
    _audit(
        actor,
        Action.CHANGE,
        "meetings.escalation",
        escalation,
        allowed.ground,
        subject_id=str(escalation.child.public_id) if escalation.child_id else "",
        step=step.position,
        outcome=outcome,
    )
    return step


# Calendar tokens ---------------------------------------------------------------------


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def calendar_token_create(*, actor: Actor) -> tuple[CalendarToken, str]:
    """A new secret for the actor's calendar feeds; earlier ones are revoked. Under the
    user's row lock: two requests at once (two tabs, a double click on a page that shows
    the link) revoke each other's links one after the other, so one stays working (the
    partial unique constraint on the active token is the truth)."""
    if not actor.has_membership:
        raise PermissionDenied(gettext("Du har ingen aktiv roll."))
    get_user_model().objects.select_for_update().filter(pk=actor.user_id).first()
    now = timezone.now()
    CalendarToken.objects.filter(user_id=actor.user_id, revoked_at__isnull=True).update(
        revoked_at=now
    )
    secret = secrets.token_urlsafe(32)
    token = CalendarToken.objects.create(
        user_id=actor.user_id, membership_id=actor.membership_id, token_hash=token_hash(secret)
    )
    audit.event_record(
        actor=actor,
        action=Action.CREATE,
        resource_type="meetings.calendartoken",
        resource_id=str(token.pk),
        ground=Ground(code="self", label=gettext_lazy("Egen kalenderprenumeration")),
    )
    return token, secret


@transaction.atomic
def calendar_token_revoke(*, actor: Actor) -> int:
    count = CalendarToken.objects.filter(user_id=actor.user_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    audit.event_record(
        actor=actor,
        action=Action.CHANGE,
        resource_type="meetings.calendartoken",
        ground=Ground(code="self", label=gettext_lazy("Egen kalenderprenumeration")),
        details={"revoked": count},
    )
    return count
