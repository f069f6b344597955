"""The next follow-up meeting of a SIP (decision 0336): the coordinator sets its time
and place (bounded, in a plausible window, history kept, audited); the participants see
it and get it in the calendar file; the family answers it in the portal as they answer
the first meeting — never for another family, a child with protected identity, or a
young person under the age for their own access."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.utils import timezone

from samverkan.directory.tests.factories import MembershipFactory
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory

from .conftest import born, portal_client
from .factories import CustodyFactory, FamilyAccountFactory, GuardianFactory
from .test_plans import _do_not_inform, _establish, _staff_titles, _url
from .test_plans import sip as _sip

AuditEvent = apps.get_model("audit", "AuditEvent")
FamilyStatement = apps.get_model("plans", "FamilyStatement")
FollowUpMeeting = apps.get_model("plans", "FollowUpMeeting")
MeetingAnswer = apps.get_model("plans", "MeetingAnswer")

PLACE = "Lärkskolan, konferensrummet"
sip = _sip  # the school's SIP for Ines, called with BUP (test_plans)


def _staff(membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def _when(days=20, hour=14) -> str:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{day:%Y-%m-%d}T{hour:02d}:00"


def _set(client, plan, *, meeting_at=None, place=PLACE):
    return client.post(
        f"/sip/{plan.public_id}/uppfoljningsmote/",
        {"meeting_at": meeting_at or _when(), "place": place},
    )


@pytest.fixture
def established(family, sip):
    """The plan established with the school's kurator as coordinator, and the next
    follow-up meeting set by her."""
    plan = _establish(family, sip)
    assert _set(_staff(family.kurator), plan).status_code == 302
    return plan


def test_the_coordinator_sets_the_meeting_the_participants_see_it_and_the_calendar_has_it(
    family, established
):
    meeting = FollowUpMeeting.objects.get()
    assert (meeting.place, meeting.created_by_id) == (PLACE, family.kurator.user_id)
    assert timezone.localtime(meeting.meeting_at).hour == 14
    assert AuditEvent.objects.filter(
        action="change",
        resource_id=str(established.public_id),
        actor_username=family.kurator.user.username,
        details__follow_up_meeting__isnull=False,
    ).exists()
    # The same again makes nothing new; a moved meeting is a new row, the old kept.
    kurator = _staff(family.kurator)
    assert _set(kurator, established).status_code == 302
    assert FollowUpMeeting.objects.count() == 1
    assert _set(kurator, established, meeting_at=_when(21, 9)).status_code == 302
    assert FollowUpMeeting.objects.count() == 2
    history = kurator.get(f"/sip/{established.public_id}/uppfoljningsmote/").content.decode()
    assert _when(20).replace("T", " ") in history and _when(21, 9).replace("T", " ") in history
    # Another of the school's staff sees the newest time and gets it in the calendar file.
    doctor = _staff(MembershipFactory(code="kurator", organisation=family.school))
    detail = doctor.get(f"/sip/{established.public_id}/").content.decode()
    assert "Nästa uppföljningsmöte" in detail and PLACE in detail
    assert _when(21, 9).replace("T", " ") in detail
    ics = doctor.get(f"/sip/{established.public_id}/kallelse.ics").content.decode()
    assert ics.count("BEGIN:VEVENT") == 2  # the first meeting and the follow-up
    assert "SIP-uppföljningsmöte" in ics and "konferensrummet" in ics
    assert family.child.first_name not in ics


def test_the_calendar_file_is_in_the_readers_language(family, established):
    doctor = _staff(family.kurator)
    doctor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    ics = doctor.get(f"/sip/{established.public_id}/kallelse.ics").content.decode()
    assert "SIP follow-up meeting" in ics and "SIP-uppföljningsmöte" not in ics


def test_only_the_coordinator_sets_the_meeting(family, sip):
    plan = _establish(family, sip)
    other = MembershipFactory(code="kurator", organisation=family.school)
    refused = _set(_staff(other), plan)
    assert refused.status_code == 422
    assert "Bara planens samordnare" in refused.content.decode()
    assert not FollowUpMeeting.objects.exists()


def test_bad_input_is_refused_in_swedish_naming_the_field_and_keeps_what_was_typed(family, sip):
    plan = _establish(family, sip)
    kurator = _staff(family.kurator)
    past = _set(kurator, plan, meeting_at=_when(-2))
    assert past.status_code == 422
    body = past.content.decode()
    assert "Välj en tid som inte har varit." in body and PLACE in body
    assert 'id="id_meeting_at"' in body and 'aria-invalid="true"' in body
    far = _set(kurator, plan, meeting_at=_when(10 * 366))
    assert far.status_code == 422 and "Datumet måste ligga mellan" in far.content.decode()
    empty = _set(kurator, plan, place="")
    assert empty.status_code == 422 and "Skriv var mötet hålls." in empty.content.decode()
    too_long = _set(kurator, plan, place="x" * 301)
    assert too_long.status_code == 422
    assert not FollowUpMeeting.objects.exists()


def test_the_family_answers_the_follow_up_meeting_and_the_coordinator_is_told(family, established):
    maria = portal_client(family.accounts[0])
    page = maria.get(_url(established)).content.decode()
    assert "Nästa uppföljningsmöte" in page and PLACE in page
    form = {"fanswer-reply": "decline", "fanswer-message": "Jonas jobbar då."}
    assert maria.post(_url(established, "uppfoljning/svar/"), form).status_code == 302
    assert maria.post(_url(established, "uppfoljning/svar/"), form).status_code == 302
    answer = MeetingAnswer.objects.get()
    meeting = FollowUpMeeting.objects.get()
    assert (answer.follow_up_meeting_id, answer.meeting_at, answer.reply) == (
        meeting.pk,
        meeting.meeting_at,
        "decline",
    )
    text = "Att vi pratar om hur rasterna går."
    ok = maria.post(_url(established, "uppfoljning/viktigt/"), {"fimportant-text": text})
    assert ok.status_code == 302
    assert FamilyStatement.objects.get().follow_up_meeting_id == meeting.pk
    titles = _staff_titles(family)
    assert sum("inför uppföljningsmötet" in t for t in titles) >= 1
    detail = _staff(family.kurator).get(f"/sip/{established.public_id}/").content.decode()
    assert "Inför uppföljningsmötet" in detail
    assert "Jonas jobbar då." in detail and text in detail
    # The first meeting's answer stays unanswered for her.
    assert "Du svarade: Jag kan inte komma" in maria.get(_url(established)).content.decode()
    assert MeetingAnswer.objects.filter(follow_up_meeting__isnull=True).count() == 0
    # A moved meeting asks again.
    _set(_staff(family.kurator), established, meeting_at=_when(25))
    again = maria.get(_url(established)).content.decode()
    assert "Du svarade" not in again


def test_a_wrong_answer_comes_back_in_swedish_with_the_field_named(family, established):
    maria = portal_client(family.accounts[0])
    missing = maria.post(
        _url(established, "uppfoljning/svar/"),
        {"fanswer-reply": "propose", "fanswer-message": "Hellre på morgonen."},
    )
    assert missing.status_code == 422
    body = missing.content.decode()
    assert "Skriv vilken dag du föreslår." in body and "Hellre på morgonen." in body
    assert 'id="id_fanswer-proposed_on"' in body
    assert not MeetingAnswer.objects.exists()


def test_no_follow_up_meeting_to_answer_is_said_plainly(family, sip):
    plan = _establish(family, sip)
    maria = portal_client(family.accounts[0])
    assert "Nästa uppföljningsmöte" not in maria.get(_url(plan)).content.decode()
    assert "fanswer-reply" not in maria.get(_url(plan)).content.decode()
    refused = maria.post(_url(plan, "uppfoljning/svar/"), {"fanswer-reply": "accept"})
    assert refused.status_code == 422
    assert "inget kommande uppföljningsmöte" in refused.content.decode()
    assert not MeetingAnswer.objects.exists()


def test_another_family_and_a_protected_child_get_nothing(family, established):
    other_child = ChildFactory(date_of_birth=born(9))
    InvolvementFactory(child=other_child, organisation=family.school)
    other_guardian = GuardianFactory(organisation=family.school)
    CustodyFactory(child=other_child, guardian=other_guardian)
    other = portal_client(FamilyAccountFactory(personal_number=other_guardian.personal_number))
    assert other.get(_url(established)).status_code == 404
    answer = {"fanswer-reply": "accept"}
    assert other.post(_url(established, "uppfoljning/svar/"), answer).status_code == 404
    type(family.child).objects.filter(pk=family.child.pk).update(protected_identity=True)
    maria = portal_client(family.accounts[0])
    assert maria.get(_url(established)).status_code == 404
    assert maria.post(_url(established, "uppfoljning/svar/"), answer).status_code == 404
    important = {"fimportant-text": "x"}
    assert maria.post(_url(established, "uppfoljning/viktigt/"), important).status_code == 404
    assert not MeetingAnswer.objects.exists() and not FamilyStatement.objects.exists()


def test_a_do_not_inform_organisation_named_in_the_place_withholds_the_plan(family, sip):
    plan = _establish(family, sip)
    _set(_staff(family.kurator), plan, place=f"Hos {family.social.name}")
    maria = portal_client(family.accounts[0])
    assert maria.get(_url(plan)).status_code == 200
    _do_not_inform(family, family.social)
    assert maria.get(_url(plan)).status_code == 404
    refused = maria.post(_url(plan, "uppfoljning/svar/"), {"fanswer-reply": "accept"})
    assert refused.status_code == 404
    assert not MeetingAnswer.objects.exists()


def test_the_young_person_answers_from_the_age_and_not_before(family, established, settings):
    settings.SAMVERKAN = {**settings.SAMVERKAN, "PORTAL_OWN_ACCESS_AGE": 15}
    ines = portal_client(
        FamilyAccountFactory(personal_number=family.child.personal_number, display_name="Ines")
    )
    answer = {"fanswer-reply": "accept"}
    assert ines.post(_url(established, "uppfoljning/svar/"), answer).status_code in (302, 404)
    assert not MeetingAnswer.objects.exists()  # Ines is 10
    type(family.child).objects.filter(pk=family.child.pk).update(date_of_birth=born(15))
    assert ines.post(_url(established, "uppfoljning/svar/"), answer).status_code == 302
    assert MeetingAnswer.objects.get().author_kind == "child"
