"""Twenty identical creations at once, continued (issue 13, "Done when"): the
administration's staff, contact function holders and staff import, the own checklist,
a forum item's decision, escalations and their answers, the calendar subscription, a
strategy indicator's measured value, the answer to a survey invitation, the log
extract, and the family portal's contact details and log request.

Each page is opened as its user would open it and its form filled from what the page
shows (``_race_form``, ``_race_like_one``). A double click sends one key; what a person
does once by nature (a staff account per personnummer, an import of the same rows, a
calendar link, an answer per invitation, a draft extract per child, the portal's contact
details, a log request a day) is also sent with twenty different keys (two tabs, two
administrators): one record, no 5xx.

``test_every_create_route.py`` holds the checklist of every creation and its race.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from samverkan.web.tests.formfuzz import plausible_data

from .test_concurrent_creation import _twenty_keys
from .test_concurrent_forms import N, _form, _race_form, _session
from .test_concurrent_more_forms import _admin, _race_like_one

pytestmark = pytest.mark.usefixtures("concurrent_db")


# The administration -------------------------------------------------------------------


def _school_with_admin():
    from samverkan.directory.tests.factories import OrganisationFactory

    return _admin(), OrganisationFactory(org_type="skola", password_login=False)


def test_twenty_identical_new_staff_make_one_account(race):
    """One key, then twenty keys (two administrators adding the same person): a
    personnummer has one staff account; the others are refused at the field."""
    from samverkan.directory.models import Membership, StaffIdentity
    from samverkan.directory.tests.factories import staff_personnummer

    client, school = _school_with_admin()
    page = f"/administration/organisation/{school.public_id}/personal/ny/"
    values = {"first_name": "Lisa", "last_name": "Lund", "personnummer": staff_personnummer(401)}
    statuses = _race_form(race, client, page, page, **values)
    assert set(statuses) == {302}, statuses
    assert Membership.objects.filter(organisation=school).count() == 1

    values = {"first_name": "Per", "last_name": "Pil", "personnummer": staff_personnummer(402)}
    data = {**plausible_data(_form(client, page, page, None)), **values}
    answers: list = []
    statuses = _twenty_keys(race, client, page, data, answers)
    assert statuses.count(302) == 1 and set(statuses) == {200, 302}, statuses
    # Refused at the field: the personnummer, or the user name the form filled in (which
    # of the two checks meets the first account depends on when it committed).
    refused = [r.content.decode() for r in answers if r.status_code == 200]
    reasons = ("redan ett personalkonto med personnumret", "är upptaget")
    assert all(any(reason in text for reason in reasons) for text in refused)
    assert StaffIdentity.objects.filter(personnummer=values["personnummer"]).count() == 1
    assert Membership.objects.filter(organisation=school).count() == 2


def test_twenty_identical_hand_overs_of_a_contact_function_make_one_holder(race):
    from samverkan.directory.administration import contact_functions
    from samverkan.directory.models import ContactFunctionAssignment
    from samverkan.directory.tests.factories import MembershipFactory

    client, school = _school_with_admin()
    MembershipFactory(code="kurator", organisation=school)
    cf = contact_functions.contact_function_save(
        actor=None, provider_organisation=school, served_organisation=school, title="Kontaktkurator"
    )
    page = f"/administration/organisation/{school.public_id}/kontaktfunktion/{cf.public_id}/"
    today = timezone.localdate().isoformat()
    statuses = _race_form(
        race, client, page, page, having="hand_over-membership", **{"hand_over-from_date": today}
    )
    assert set(statuses) == {302}, statuses
    assert ContactFunctionAssignment.objects.filter(contact_function=cf).count() == 1


def test_twenty_imports_of_the_same_staff_make_each_account_once(race):
    """An import is once by nature: the rows are found by personnummer. The applied page
    is shown (no redirect), so one key is given back and runs again after the first; with
    twenty keys all twenty run at once. A row another import made at the same moment is
    listed as rejected with the reason, no 500 (decision 0356)."""
    import io

    from samverkan.directory.models import StaffIdentity
    from samverkan.directory.tests.factories import staff_personnummer

    client, school = _school_with_admin()
    numbers = [staff_personnummer(n) for n in (411, 412)]
    upload = io.BytesIO(
        (
            "organisation;förnamn;efternamn;personnummer;funktion\n"
            f"{school.name};Mona;Mo;{numbers[0]};kurator\n"
            f"{school.name};Nils;Ek;{numbers[1]};kurator\n"
        ).encode()
    )
    upload.name = "personal.csv"
    page = "/administration/import/"
    shown = client.post(page, {"kind": "staff", "file": upload, "submission_key": "forhand-001"})
    assert shown.status_code == 200
    payload = re.search(r'name="payload" value="([^"]+)"', shown.content.decode()).group(1)
    statuses = _twenty_keys(race, client, page, {"payload": payload})
    assert set(statuses) == {200}, statuses
    assert StaffIdentity.objects.filter(personnummer__in=numbers).count() == 2


# Knowledge, forums, escalations, the calendar --------------------------------------------


def test_twenty_identical_choices_for_the_own_checklist_make_one(race):
    from samverkan.directory.tests.factories import MembershipFactory
    from samverkan.knowledge.models import Checklist, ChecklistItem, ChecklistSuggestion

    ChecklistSuggestion.objects.get_or_create(
        code="samtala-med-barnet-race", defaults={"text": "Samtala med barnet."}
    )
    member = MembershipFactory(code="kurator")
    client = _session(member)
    page = "/kunskap/checklista/"
    form = _form(client, page, page, "chosen")
    chosen = next(f.option for f in form.fields if f.name == "chosen")
    statuses = _race_form(race, client, page, page, having="chosen", chosen=chosen)
    assert set(statuses) == {302}, statuses
    assert Checklist.objects.filter(owner=member.user).count() == 1
    assert ChecklistItem.objects.filter(checklist__owner=member.user).count() == 1


def _forum_with_item():
    from samverkan.directory.tests.factories import actor_of
    from samverkan.meetings import services
    from samverkan.meetings.tests.factories import ForumFactory, MeetingFactory, convener_of

    forum = ForumFactory()
    convener = convener_of(forum)
    meeting = MeetingFactory(forum=forum, starts_in=datetime.timedelta(days=5), status="planned")
    item = services.item_add(
        actor=actor_of(convener), meeting=meeting, kind="general", title="Lovaktiviteter"
    )
    return convener, meeting, item


def test_twenty_identical_decisions_on_a_forum_item_record_one(race):
    convener, meeting, item = _forum_with_item()
    client = _session(convener)
    page = f"/forum/mote/{meeting.public_id}/"
    made = _race_like_one(
        race, client, page, f"/forum/punkt/{item.public_id}/beslut/", decision="Vi ordnar det."
    )
    assert set(made) == {"audit.AuditEvent"}, made  # a change of the item: audit rows only
    item.refresh_from_db()
    assert item.decision == "Vi ordnar det. (2)"  # the deliberate post after the twenty


def _escalation_parties():
    from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory

    school = OrganisationFactory(org_type="skola")
    social = OrganisationFactory(org_type="socialtjanst", principal=school.principal)
    return MembershipFactory(code="kurator", organisation=school), social


ANONYMOUS = {
    "title": "Vem ansvarar för stödet?",
    "description": "En elev behöver stöd; verksamheterna är oeniga om vem som ska ge det.",
}


def test_twenty_identical_escalations_make_one(race):
    kurator, social = _escalation_parties()
    client = _session(kurator)
    page = "/forum/eskalering/?ny=1"
    made = _race_like_one(
        race, client, page, "/forum/eskalering/", counterpart=str(social.pk), **ANONYMOUS
    )
    assert made.get("meetings.Escalation") == 1, made


def test_twenty_identical_answers_to_an_escalation_step_record_one(race):
    from samverkan.directory.tests.factories import actor_of
    from samverkan.meetings import services
    from samverkan.meetings.models import EscalationStep

    kurator, social = _escalation_parties()
    escalation = services.escalation_open(
        actor=actor_of(kurator), counterpart_organisation_id=social.pk, **ANONYMOUS
    )
    client = _session(kurator)
    page = f"/forum/eskalering/{escalation.public_id}/"
    values = {"positions": "Skolan: BUP. BUP: skolan.", "decision": "Lyfts.", "outcome": "escalate"}
    statuses = _race_form(race, client, page, page, **values)
    assert set(statuses) == {302}, statuses
    steps = EscalationStep.objects.filter(escalation=escalation)
    assert steps.count() == 2, list(steps.values_list("position", "decided_at"))
    assert steps.filter(decided_at__isnull=False).count() == 1


def test_twenty_calendar_subscriptions_at_once_leave_one_link_working(race):
    """The page shows the new link (no redirect), so every one of the twenty runs: each
    revokes the links before it, and one link must stay working, not several."""
    from samverkan.meetings.models import CalendarToken
    from samverkan.meetings.tests.factories import ForumFactory, convener_of

    member = convener_of(ForumFactory())
    client = _session(member)
    page = "/forum/kalender/"
    form = _form(client, page, page, None)
    statuses = _twenty_keys(race, client, page, plausible_data(form))
    assert set(statuses) == {200}, statuses
    tokens = CalendarToken.objects.filter(user=member.user)
    assert tokens.count() == N
    assert tokens.filter(revoked_at__isnull=True).count() == 1


# Strategy ---------------------------------------------------------------------------------


def test_twenty_identical_values_of_an_indicator_make_one(race):
    from samverkan.governance import plan_services
    from samverkan.governance.models import IndicatorValue
    from samverkan.governance.tests.factories import Setting

    from .test_concurrent_forms import _strategy_plan

    setting = Setting()
    plan = _strategy_plan("Plan med mätvärden")
    indicator = plan_services.indicator_add(
        actor=None, plan=plan, name="Andel i skolan", unit="share"
    )
    client = _session(setting.strategist)
    page = f"/strategi/{plan.public_id}/indikator/{indicator.public_id}/"
    month = timezone.localdate().replace(day=1).isoformat()[:7]
    statuses = _race_form(race, client, page, page, month=month, value="42")
    assert set(statuses) == {302}, statuses
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 1


def test_twenty_answers_to_a_survey_invitation_store_one(race):
    """Twenty keys: a person answers an invitation once by nature (the participation's
    unique constraint); the repeats are told they have answered."""
    from samverkan.core import signals
    from samverkan.directory.tests.factories import actor_of
    from samverkan.governance import survey_occasions, surveys
    from samverkan.governance.survey_models import SurveyParticipation, SurveyResponse
    from samverkan.governance.tests.factories import Setting

    setting = Setting()
    strategist = actor_of(setting.strategist)
    survey = surveys.survey_create(
        actor=strategist, title="Efter mötet", audience="efter_mote", forum_levels=["basniva"]
    )
    surveys.question_add(actor=strategist, survey=survey, kind="skala5", text="Hur väl?")
    surveys.survey_set_status(actor=strategist, survey=survey, status="oppen")
    reader = actor_of(setting.reader)
    respondent = signals.Respondent(
        reader.user_id, reader.organisation_id, reader.organisation_type
    )
    invitation = survey_occasions.invite(
        trigger="meeting",
        occasion="race-meeting",
        label="Basnivåns möte",
        forum_level="basniva",
        respondents=[respondent],
    )[0]
    client = _session(setting.reader)
    page = f"/strategi/enkater/inbjudan/{invitation.public_id}/"
    statuses = _twenty_keys(race, client, page, plausible_data(_form(client, page, page, None)))
    assert 302 in statuses, statuses
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert SurveyParticipation.objects.filter(survey=survey).count() == 1


# The log extract and the family portal ------------------------------------------------


def _family():
    """A child at a school, read there (a logged access), with a guardian in the portal
    and an auditor at the school."""
    from samverkan.directory.tests.factories import (
        MembershipFactory,
        OrganisationFactory,
        actor_of,
    )
    from samverkan.people.selectors import child_get
    from samverkan.people.tests.factories import ChildFactory, InvolvementFactory
    from samverkan.portal.tests.conftest import portal_client
    from samverkan.portal.tests.factories import (
        CustodyFactory,
        FamilyAccountFactory,
        GuardianFactory,
    )

    school = OrganisationFactory(org_type="skola")
    kurator = MembershipFactory(code="kurator", organisation=school)
    auditor = MembershipFactory(code="granskare", organisation=school)
    child = ChildFactory()
    InvolvementFactory(child=child, organisation=school)
    guardian = GuardianFactory(organisation=school, first_name="Maria")
    CustodyFactory(child=child, guardian=guardian)
    account = FamilyAccountFactory(
        personal_number=guardian.personal_number, display_name=guardian.full_name
    )
    child_get(actor_of(kurator), child.public_id)  # a logged read
    client = portal_client(account)
    client.raise_request_exception = False
    return school, auditor, child, account, client


def test_twenty_requests_for_a_log_extract_draft_one(race):
    """Twenty keys: asking twice drafts once (one draft per child waits for review)."""
    from samverkan.audit.models import GuardianExtract

    school, auditor, child, _, _ = _family()
    client = _session(auditor)
    page = "/logg/utdrag/"
    form = _form(client, page, page, "personnummer")
    data = {**plausible_data(form), "personnummer": child.personal_number}
    statuses = _twenty_keys(race, client, page, data)
    assert set(statuses) == {302}, statuses
    assert GuardianExtract.objects.filter(organisation_id=school.pk).count() == 1


def test_twenty_identical_contact_details_in_the_portal_make_one(race):
    """Twenty keys: a family member has one set of contact details."""
    from samverkan.portal.models import FamilyContact

    _, _, _, account, client = _family()
    page = "/familj/meddelanden/"
    form = _form(client, page, page, "contact-email")
    data = {**plausible_data(form), "contact-email": "maria@example.se"}
    statuses = _twenty_keys(race, client, page, data)
    assert set(statuses) == {302}, statuses
    assert FamilyContact.objects.filter(account=account).count() == 1


def test_twenty_log_requests_from_the_portal_ask_each_organisation_once(race):
    """Twenty keys: a request reaches each organisation's auditor once a day."""
    from samverkan.notify.models import InboxItem
    from samverkan.portal.extracts import KIND

    school, _, child, _, client = _family()
    page = f"/familj/barn/{child.public_id}/logg/"
    form = _form(client, page, f"{page}begar/", None)
    statuses = _twenty_keys(race, client, f"{page}begar/", plausible_data(form))
    assert set(statuses) == {302}, statuses
    assert InboxItem.objects.filter(kind=KIND, organisation_id=school.pk).count() == 1
