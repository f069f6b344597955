"""Forums in the inbox, in a world built from factories: an escalation step reaching
the forum (its convener) or the raising organisation's manager, an action item due for
the responsible function, and calendar invitations to forum meetings (REQUEST, then
CANCEL) for whoever holds the forum's functions in its member organisations."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from samverkan.directory.models import Function
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PrincipalFactory,
    actor_of,
)
from samverkan.meetings import services as meetings
from samverkan.meetings.models import ForumOrganisation
from samverkan.meetings.tests.factories import ForumFactory, MeetingFactory, convener_of
from samverkan.notify import clocks, selectors

pytestmark = pytest.mark.django_db


def _labels(membership) -> list[str]:
    return [row.label for row in selectors.inbox_page(actor_of(membership))]


@pytest.fixture
def forum_world():
    principal = PrincipalFactory()
    school = OrganisationFactory(principal=principal, org_type="elevhalsa")
    social = OrganisationFactory(principal=principal, org_type="socialtjanst")
    forum = ForumFactory(convener_organisation=social, level="basniva")
    forum.functions.set(Function.objects.filter(code__in=["kurator", "socialsekreterare"]))
    ForumOrganisation.objects.create(forum=forum, organisation=school)
    convener = convener_of(forum)
    return {
        "forum": forum,
        "school": school,
        "social": social,
        "convener": convener,
        "kurator": MembershipFactory(code="kurator", organisation=school),
        "rektor": MembershipFactory(code="rektor", organisation=school),
        "social_worker": MembershipFactory(code="socialsekreterare", organisation=social),
        "outsider": MembershipFactory(code="kurator"),
    }


def test_an_escalation_step_reaches_the_owner_then_the_joint_forum(forum_world):
    w = forum_world
    escalation = meetings.escalation_open(
        actor=actor_of(w["kurator"]),
        title="Vem ansvarar?",
        description="En elev behöver stöd; verksamheterna är oeniga om vem som ska ge det.",
        counterpart_organisation_id=w["social"].pk,
    )
    label = "Eskalering till ditt forum"
    # The first step is the raising organisation's own: its manager function (rektor).
    assert label in _labels(w["rektor"])
    for other in ("kurator", "convener", "social_worker", "outsider"):
        assert label not in _labels(w[other]), other
    first = escalation.steps.get(position=0)
    meetings.escalation_step_record(
        actor=actor_of(w["kurator"]),
        step=first,
        positions="Oeniga.",
        decision="Lyfts till det gemensamma forumet.",
        outcome="escalate",
    )
    assert label not in _labels(w["rektor"])  # decided: closed
    assert label in _labels(w["convener"])  # the joint forum's convener
    for other in ("kurator", "social_worker", "outsider"):
        assert label not in _labels(w[other]), other


def test_an_action_item_reaches_the_responsible_function_and_is_reminded_when_due(forum_world):
    w = forum_world
    meeting = MeetingFactory(forum=w["forum"], starts_in=datetime.timedelta(hours=-2))
    action = meetings.action_add(
        actor=actor_of(w["convener"]),
        meeting=meeting,
        text="Bjud in BUP till nästa möte.",
        responsible_organisation_id=w["school"].pk,
        responsible_function_code="kurator",
        due_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    label = "Åtgärd från ett möte"
    assert label in _labels(w["kurator"])
    for other in ("rektor", "convener", "social_worker", "outsider"):
        assert label not in _labels(w[other]), other
    clocks.clocks_run(now=timezone.now() + datetime.timedelta(days=8))
    row = next(r for r in selectors.inbox_page(actor_of(w["kurator"])) if r.label == label)
    assert row.overdue
    meetings.action_set_status(actor=actor_of(w["kurator"]), action=action, status="done")
    assert label not in _labels(w["kurator"])


def test_forum_meetings_are_calendar_invitations_to_the_forums_functions(
    forum_world, mailoutbox, django_capture_on_commit_callbacks
):
    w = forum_world
    start = (timezone.now() + datetime.timedelta(days=10)).replace(microsecond=0, second=0)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meetings.meeting_book(
            actor=actor_of(w["convener"]), forum=w["forum"], starts_at=start
        )
    invited = {m.to[0] for m in mailoutbox if m.subject == "Kallelse till möte i Samverkan"}
    expected = {w[k].user.email for k in ("convener", "kurator", "social_worker")}
    assert invited == expected  # not the rektor (not a forum function), not an outsider
    message = next(m for m in mailoutbox if m.to == [w["kurator"].user.email])
    _name, content, mimetype = message.attachments[0]
    assert "method=REQUEST" in mimetype
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["UID"]) == f"forum-{meeting.public_id}@samverkan"
    assert event.decoded("DTSTART") == start
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meetings.meeting_close(actor=actor_of(w["convener"]), meeting=meeting, cancelled=True)
    cancels = [m for m in mailoutbox if m.subject == "Inställt möte i Samverkan"]
    assert {m.to[0] for m in cancels} == expected
    cal = Calendar.from_ical(cancels[0].attachments[0][1])
    assert str(cal["METHOD"]) == "CANCEL"
