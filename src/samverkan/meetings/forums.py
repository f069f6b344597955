"""Forums and their meetings: creating a forum, generating and booking its meetings,
attendance, and the calendar tokens of a personal meeting feed."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.audit.services import Ground
from samverkan.core import bounds
from samverkan.core.errors import PermissionDenied, ValidationFailed
from samverkan.core.unique import create_or_refuse
from samverkan.directory import selectors as directory

from . import conf
from . import inbox as meetings_inbox
from .models import (
    Attendance,
    Cadence,
    CalendarToken,
    Forum,
    ForumOrganisation,
    Level,
    Meeting,
)
from .writes import _audit, _require

SYSTEM_GROUND = Ground(code="system", label=gettext_lazy("Systemet (schemalagt arbete)"))


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
