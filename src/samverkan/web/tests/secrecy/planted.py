"""One world with a unique marker planted in every text field of every kind of record
about a child, and in the texts the product makes from them (issue 11); built once
for a test class from factories. ``set_state`` then puts the consent between the school
and BUP into one state, inside the test (rolled back after it), so one world serves
every state and every viewer.

About the child: the child's and the guardians' names and addresses, the class; the
consent (exclusions, the child's views, the note); a SIP with its texts, a follow-up
(its note and an effort's assessed effect), the next follow-up meeting's place, the
family's own records in the portal (the answer to the call and to the follow-up
meeting, "what is important", the child's own words); an identified meeting item; a
report of concern kept from the guardians ("Vårdnadshavarna får inte veta"), its
feedback, the reason its matter became an investigation, social services' note; an
earlier report from the child's former preschool in another municipality, closed there
with feedback and evaluated by both sides (the chronology shows the feedback to both and
each side its own evaluation, decision 0347); the comment of the SIP's saved version; an
escalation by name; a person's own checklist; a handover to another school; a foreign
eID linked to a guardian; the family's e-mail address for notices. And the kinds of the
municipality (``planted_common``): a knowledge event with a registration, an agreement
with an attachment, a strategy plan with its follow-up report, a survey's free texts.

The consent ``state_consent`` is between the school and BUP; ``set_state`` makes it:
- ``valid``: over every category (BUP still has no ground for the report, the
  escalation, the handover, the checklist, the agreement, the survey);
- ``none``: BUP is no party; ``revoked`` (by the guardians, with a note); ``expired``;
- ``lapsed``: social services is a party too, and its matter became an investigation
  (a voluntary consent lapses on a change of context);
- ``partial``: revoked and given anew over efforts and the social situation only;
- ``social_only``: revoked and given anew over the social situation only (BUP reads who
  the child is and the consent, nothing of the SIP);
- ``protected``: valid, but the child and the guardian have protected identity.
The report is kept from the guardians in every state (the do-not-inform state).
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.utils import timezone

from samverkan.concerns import services as concern_services
from samverkan.consent import grants
from samverkan.consent import services as consent_services
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PrincipalFactory,
    UnitFactory,
)
from samverkan.handover import services as handover_services
from samverkan.knowledge import services as knowledge_services
from samverkan.legal import catalogue
from samverkan.meetings import services as meeting_services
from samverkan.people import selectors as people_selectors
from samverkan.people import services as people_services
from samverkan.people.tests.factories import InvolvementFactory
from samverkan.plans import meetings as plan_meetings
from samverkan.plans import selectors as plan_selectors
from samverkan.plans import services as plan_services
from samverkan.portal.tests.conftest import portal_client
from samverkan.portal.tests.factories import (
    CustodyFactory,
    FamilyAccountFactory,
    GuardianFactory,
)

from . import planted_common
from .crawl import marker
from .planted_common import (
    AGREEMENT_MARKERS,
    EVENT_MARKERS,
    GOVERNANCE_MARKERS,
    REGISTRANT_MARKERS,
    RESPONDENTS,
    SURVEY_TEXTS,
)
from .world import ALL_CATEGORIES, secrecy_world

PARTIAL_CATEGORIES = ["insatser", "social_situation"]
SOCIAL_ONLY_CATEGORIES = ["social_situation"]

NAME_MARKERS = {"Childfirst", "Childlast", "Guardianfirst", "Guardianlast", "Parentfirst"}
# What a party reads on a consent's own pages: its scope, the child's views, the note.
CONSENT_MARKERS = {"Exclusions", "Childviews", "Consentnote"}
# The SIP, and what the family and the plan's participants wrote on it.
PLAN_MARKERS = {
    "Planpurpose",
    "Planquestion",
    "Longgoal",
    "Meetingplace",
    "Need",
    "Shortgoal",
    "Efforttitle",
    "Effortresponsible",
    "Planchildwords",
    "Disagreements",
    "Followupnote",
    "Effect",
    "Followupplace",
    "Answermessage",
    "Important",
    "Ownwords",
    "Followupanswer",
    "Followupimportant",
    "Versioncomment",  # the saved version's comment (the plan's page, the chronology)
}
# The protected identity: the addresses, where the child goes to class.
PROTECTED_MARKERS = {
    "Childstreet",
    "Childcity",
    "Guardianstreet",
    "Guardiancity",
    "Classname",
    "Schoolyear",
}
# The report of concern, kept from the guardians, and what social services made of it.
REPORT_MARKERS = {
    "Worry",
    "Observations",
    "Reportchildwords",
    "Donotinform",
    "Feedbacktext",
    "Contextreason",
    "Socialnote",
}
# The report from the former preschool in another municipality, the feedback that
# municipality's social services gave it and both sides' evaluations of the cooperation:
# only for that preschool and that social services (an evaluation only for its writer).
EARLIER_REPORT_MARKERS = {"Earlierworry", "Earlierfeedback", "Evalschool", "Evalsocial"}
# Shared between the school and social services only, or the school's own.
SCHOOL_AND_SOCIAL = {"Escalationtitle", "Escalationtext", "Checklistitem"}
HANDOVER_MARKERS = {"Handoveritem", "Handovernote"}
FAMILY_MARKERS = {"Familymail", "Eidaslink"}
# Markers about the child, or anyone's, that no one without a ground may receive.
CHILD_MARKERS = (
    NAME_MARKERS
    | CONSENT_MARKERS
    | PLAN_MARKERS
    | PROTECTED_MARKERS
    | REPORT_MARKERS
    | EARLIER_REPORT_MARKERS
    | SCHOOL_AND_SOCIAL
    | HANDOVER_MARKERS
    | FAMILY_MARKERS
    | {"Itemtitle", "Itemtext", "Revocationnote"}
)
# What every member of staff of the municipality may read: a knowledge event (not who
# registered), the strategy plan and its report (no personal data).
FOR_ANY_STAFF = EVENT_MARKERS | GOVERNANCE_MARKERS
NOT_FOR_STAFF = CHILD_MARKERS | REGISTRANT_MARKERS | AGREEMENT_MARKERS | SURVEY_TEXTS | RESPONDENTS


def build():
    world = secrecy_world(guardian=(marker("Guardianfirst"), marker("Guardianlast")))
    child = world.child
    apps.get_model("people", "Child").objects.filter(pk=child.pk).update(
        first_name=marker("Childfirst"),
        last_name=marker("Childlast"),
        street_address=marker("Childstreet"),
        postal_code="12345",
        city=marker("Childcity"),
    )
    child.refresh_from_db()
    apps.get_model("people", "Guardian").objects.filter(custodies__child=child).update(
        street_address=marker("Guardianstreet"), city=marker("Guardiancity")
    )
    _staff(world)
    people_services.enrolment_add(
        actor=world.actor("rektor"),
        child=child,
        school_year=marker("Schoolyear"),
        class_name=marker("Classname"),
    )
    _family(world)
    world.state_consent = world.consent(
        [world.school, world.bup],
        category_codes=ALL_CATEGORIES,
        purpose_codes=["sip", "allman_samverkan", "samverkanstraff"],
        exclusions=marker("Exclusions"),
        child_views=marker("Childviews"),
        note=marker("Consentnote"),
    )
    guardian = apps.get_model("people", "Guardian").objects.get(
        custodies__child=child, first_name=marker("Guardianfirst")
    )
    world.ids = {
        "child": child.public_id,
        "consent": world.state_consent.public_id,
        "guardian": guardian.public_id,
        "eidas": world.eidas_link.public_id,
    }
    _sip(world)
    _identified_item(world)
    _report(world)  # after the item: social services learns of the child by the report
    _escalation_and_checklist(world)
    _handover(world)
    _earlier_report(world)
    planted_common.plant(world)
    consent_services.consents_sweep()
    return world


def _staff(world):
    principal = world.school.principal
    social_unit = UnitFactory(organisation=world.social, name=marker("Socialunit"))
    world.staff["socsek"].unit = social_unit
    world.staff["socsek"].save(update_fields=["unit"])
    world.staff["granskare_soc"] = MembershipFactory(code="granskare", organisation=world.social)
    world.new_school = OrganisationFactory(principal=principal, org_type="skola")
    world.other_school = OrganisationFactory(principal=principal, org_type="skola")
    world.staff["new_rektor"] = MembershipFactory(code="rektor", organisation=world.new_school)
    world.staff["new_teacher"] = MembershipFactory(code="larare", organisation=world.new_school)
    world.staff["outsider"] = MembershipFactory(code="rektor", organisation=world.other_school)
    world.staff["admin"] = MembershipFactory(code="administrator", organisation=world.school)
    world.staff["owner"] = MembershipFactory(code="enhetschef", organisation=world.social)
    world.staff["strategist"] = MembershipFactory(code="strategigrupp", organisation=world.social)
    # Registers for the knowledge event: of a school no viewer works at, so that only the
    # event's organiser has a reason to see the name.
    world.registrant_school = OrganisationFactory(principal=principal, org_type="skola")
    world.staff["registrant"] = MembershipFactory(
        code="larare", organisation=world.registrant_school
    )


def _family(world):
    """A second guardian with a portal account, an e-mail address for notices, and a
    foreign eID linked to the first guardian (as the records are)."""
    parent = GuardianFactory(organisation=world.school, first_name=marker("Parentfirst"))
    CustodyFactory(child=world.child, guardian=parent)
    world.parent_account = FamilyAccountFactory(
        personal_number=parent.personal_number, display_name=parent.full_name
    )
    apps.get_model("portal", "FamilyContact").objects.create(
        account=world.parent_account, email=marker("Familymail") + "@example.se"
    )
    guardian = apps.get_model("people", "Guardian").objects.get(
        custodies__child=world.child, first_name=marker("Guardianfirst")
    )
    link = apps.get_model("people", "GuardianEidasLink").objects.create(
        guardian=guardian,
        issuer="https://eid.example.se",
        identifier="DE:" + marker("Eidaslink"),
        country="DE",
        checked_how="pass",
        linked_by_id=world.staff["rektor"].user_id,
        linked_by_name="Rektor",
        linked_at=timezone.now(),
    )
    world.eidas_link = link


def _sip(world):
    school = world.actor("rektor")
    plan = plan_services.plan_start(
        actor=school,
        child=world.child,
        called_organisation_ids=[world.bup.pk],
        purpose=marker("Planpurpose"),
        question=marker("Planquestion"),
        long_term_goal=marker("Longgoal"),
        meeting_at=timezone.now() + datetime.timedelta(days=5),
        meeting_place=marker("Meetingplace"),
    )
    plan = plan_services.plan_save(
        actor=school,
        plan=plan,
        expected_version=plan.version,
        needs=[marker("Need")],
        long_term_goal=marker("Longgoal"),
        short_term_goals=[marker("Shortgoal")],
        efforts=[
            plan_services.EffortInput(
                title=marker("Efforttitle"),
                organisation_id=world.school.pk,
                responsible=marker("Effortresponsible"),
            )
        ],
        responsible_organisation_id=world.school.pk,
        coordinator_user_id=world.staff["rektor"].user_id,
        follow_up_on=timezone.localdate() + datetime.timedelta(days=30),
        child_words=marker("Planchildwords"),
        disagreements=marker("Disagreements"),
        comment=marker("Versioncomment"),
    )
    effort = plan_selectors.plan_get(school, plan.public_id).efforts[0]
    plan_services.followup_record(
        actor=school,
        plan=plan_selectors.plan_for_change(school, plan.public_id),
        held_on=timezone.localdate(),
        assessments=[
            plan_services.AssessmentInput(
                effort_key=effort["key"], status="ongoing", effect=marker("Effect")
            )
        ],
        note=marker("Followupnote"),
    )
    plan_meetings.follow_up_meeting_set(
        actor=school,
        plan=plan,
        meeting_at=timezone.now() + datetime.timedelta(days=40),
        place=marker("Followupplace"),
    )
    family = portal_client(world.parent_account)
    url = f"/familj/plan/{plan.public_id}/"
    posts = {
        "svar/": {"answer-reply": "accept", "answer-message": marker("Answermessage")},
        "viktigt/": {"important-text": marker("Important")},
        "uppfoljning/svar/": {
            "fanswer-reply": "accept",
            "fanswer-message": marker("Followupanswer"),
        },
        "uppfoljning/viktigt/": {"fimportant-text": marker("Followupimportant")},
    }
    for path, data in posts.items():
        answered = family.post(url + path, data)
        assert answered.status_code == 302, (path, answered.content[-800:])
    # The child's own words (the child has no portal account at ten; as the record is).
    apps.get_model("plans", "FamilyStatement").objects.create(
        plan=plan,
        topic="own_words",
        author_kind="child",
        author_ref="familj-barnet",
        author_name=marker("Childfirst"),
        text=marker("Ownwords"),
        created_at=timezone.now(),
    )
    world.ids["plan"] = plan.public_id


def _identified_item(world):
    """A forum of the three organisations convened by social services; at its next
    meeting the school raises the child by name (an identified item, on the consent).
    The school and BUP attend."""
    forum = meeting_services.forum_create(
        actor=None,
        name=f"Testforum {world.child.public_id}",
        level="basniva",
        cadence="monthly",
        convener_organisation_id=world.social.pk,
        convener_function_code="socialsekreterare",
        organisation_ids=[world.school.pk, world.social.pk, world.bup.pk],
        function_codes=["rektor", "socialsekreterare", "lakare"],
        purpose="Samverkan kring barn i skolåldern.",
    )
    convener = world.actor("socsek")
    meeting = meeting_services.meeting_book(
        actor=convener, forum=forum, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    for organisation in (world.school, world.social, world.bup):
        meeting_services.attendance_set(
            actor=convener,
            meeting=meeting,
            organisation_id=organisation.pk,
            present=organisation != world.social,
        )
    item = meeting_services.item_add(
        actor=world.actor("rektor"),
        meeting=meeting,
        kind="identified",
        title=marker("Itemtitle"),
        text=marker("Itemtext"),
        child=world.child,
        category="skolsituation",
    )
    world.ids |= {"meeting": meeting.public_id, "forum": forum.public_id, "item": item.public_id}


def _report(world):
    """The school reports, kept from the guardians; social services takes it, the
    matter becomes an investigation, and the school is given feedback under a consent
    between the two (given with the report)."""
    report = concern_services.report_submit(
        actor=world.actor("rektor"),
        child=world.child,
        worry=marker("Worry"),
        observations=marker("Observations"),
        child_words=marker("Reportchildwords"),
        reporter_phone="08-123 456 78",
        do_not_inform_guardians=True,
        do_not_inform_reason=marker("Donotinform"),
    )
    social = world.actor("socsek")
    concern_services.handling_assign(
        actor=social, report=report, handler_membership_id=world.staff["socsek"].pk
    )
    Involvement = apps.get_model("people", "Involvement")
    matter = Involvement.objects.get(
        child=world.child, organisation=world.social, ended_at__isnull=True
    )
    Involvement.objects.filter(pk=matter.pk).update(note=marker("Socialnote"))
    people_services.involvement_change_context(
        actor=social,
        involvement_public_id=matter.public_id,
        context="investigation",
        reason=marker("Contextreason"),
    )
    world.consent(
        [world.school, world.social],
        purpose_codes=["sip", "allman_samverkan", "samverkanstraff", "aterkoppling"],
        context="report_investigation",
    )
    concern_services.feedback_send(actor=social, report=report, text=marker("Feedbacktext"))
    world.report = report
    world.ids |= {"report": report.public_id, "involvement": matter.public_id}


def _escalation_and_checklist(world):
    school = world.actor("rektor")
    escalation = meeting_services.escalation_open(
        actor=school,
        title=marker("Escalationtitle"),
        description=marker("Escalationtext"),
        counterpart_organisation_id=world.social.pk,
        child=world.child,
    )
    item = knowledge_services.checklist_item_add(actor=school, text=marker("Checklistitem"))
    world.ids |= {"escalation": escalation.public_id, "checklist_item": item.public_id}


def _handover(world):
    actor = world.actor("rektor")
    conditions = catalogue.load().get("school_transition").conditions
    handover = handover_services.handover_send(
        actor=actor,
        child_view=people_selectors.child_get(actor, world.child.public_id),
        to_organisation_id=world.new_school.pk,
        kind_code="school_to_school",
        ground_code="school_transition",
        items=[handover_services.Item("skolsituation", marker("Handoveritem"))],
        confirmed=list(range(len(conditions))),
        guardian_notice="informed",
        guardian_notice_note=marker("Handovernote"),
    )
    world.ids["handover"] = handover.public_id


def _earlier_report(world):
    """The child's former preschool, in another municipality, reported the child to that
    municipality's social services, which closed the matter with free-text feedback on
    a consent for the purpose "återkoppling"; both sides evaluated the cooperation.
    (Another municipality, so the report does not make the school's consent lapse.)"""
    principal = PrincipalFactory()
    preschool = OrganisationFactory(principal=principal, org_type="forskola")
    social = OrganisationFactory(principal=principal, org_type="socialtjanst")
    world.staff["preschool"] = MembershipFactory(code="forskolechef", organisation=preschool)
    world.staff["social_b"] = MembershipFactory(code="socialsekreterare", organisation=social)
    InvolvementFactory(child=world.child, organisation=preschool)
    # The preschool keeps its own record of the guardians (as every organisation does).
    guardians = []
    for custody in people_selectors.system_custodies(world.child, world.school.pk):
        known = custody.guardian
        guardians.append(
            GuardianFactory(
                organisation=preschool,
                personal_number=known.personal_number,
                first_name=known.first_name,
                last_name=known.last_name,
            )
        )
        CustodyFactory(child=world.child, guardian=guardians[-1])
    report = concern_services.report_submit(
        actor=world.actor("preschool"),
        child=world.child,
        worry=marker("Earlierworry"),
        reporter_phone="08-123 456 78",
    )
    feedback_consent = consent_services.consent_give(
        actor=world.actor("preschool"),
        child=world.child,
        party_ids=[preschool.pk, social.pk],
        form="written",
        givers=[
            consent_services.GiverInput(kind="guardian", guardian_id=str(g.public_id))
            for g in guardians
        ],
        category_codes=["insatser"],
        purpose_codes=["aterkoppling"],
        context="report_investigation",
    )
    apps.get_model("consent", "Consent").objects.filter(pk=feedback_consent.pk).update(
        valid_from=timezone.localdate() - datetime.timedelta(days=1)
    )
    grants.refresh([world.child.pk])
    handler = world.actor("social_b")
    concern_services.handling_assign(
        actor=handler, report=report, handler_membership_id=world.staff["social_b"].pk
    )
    concern_services.preliminary_decide(actor=handler, report=report, decision="not_open")
    concern_services.handling_close(actor=handler, report=report, outcome="no_investigation")
    concern_services.feedback_send(actor=handler, report=report, text=marker("Earlierfeedback"))
    answers = {key: "ja" for key, _ in concern_services.EVALUATION_QUESTIONS}
    for who, comment in (("preschool", "Evalschool"), ("social_b", "Evalsocial")):
        concern_services.evaluation_submit(
            actor=world.actor(who), report=report, answers=answers, comment=marker(comment)
        )
    world.ids["earlier_report"] = report.public_id


def set_state(world, state: str) -> None:
    """Put ``state_consent`` into ``state`` (from the valid consent the world was built
    with; call it once per test: the test's transaction undoes it)."""
    consent, child = world.state_consent, world.child
    if state == "none":
        apps.get_model("consent", "ConsentParty").objects.filter(
            consent=consent, organisation=world.bup
        ).delete()
    elif state == "revoked":
        consent_services.consent_revoke(
            actor=world.actor("rektor"), consent=consent, note=marker("Revocationnote")
        )
    elif state == "expired":
        today = timezone.localdate()
        type(consent).objects.filter(pk=consent.pk).update(
            valid_from=today - datetime.timedelta(days=400),
            valid_until=today - datetime.timedelta(days=1),
        )
    elif state == "lapsed":
        apps.get_model("consent", "ConsentParty").objects.create(
            consent=consent, organisation=world.social
        )
    elif state in {"partial", "social_only"}:
        consent_services.consent_revoke(
            actor=world.actor("rektor"), consent=consent, note=marker("Revocationnote")
        )
        world.ids["consent"] = world.consent(
            [world.school, world.bup],
            category_codes=(PARTIAL_CATEGORIES if state == "partial" else SOCIAL_ONLY_CATEGORIES),
            purpose_codes=["sip", "allman_samverkan", "samverkanstraff"],
            exclusions=marker("Exclusions"),
            child_views=marker("Childviews"),
            note=marker("Consentnote"),
        ).public_id
    elif state == "protected":
        apps.get_model("people", "Child").objects.filter(pk=child.pk).update(
            protected_identity=True
        )
        apps.get_model("people", "Guardian").objects.filter(custodies__child=child).update(
            protected_identity=True
        )
    grants.refresh([child.pk])
    consent_services.consents_sweep()  # the notices (expired, lapsed)


def bup_has_a_grant(world) -> bool:
    now = timezone.now()
    return (
        apps.get_model("consent", "SharingGrant")
        .objects.filter(
            child=world.child, organisation=world.bup, valid_from__lte=now, valid_until__gt=now
        )
        .exists()
    )
