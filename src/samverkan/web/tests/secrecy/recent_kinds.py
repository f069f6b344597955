"""A world for the planted-marker test of the record kinds added late (issue 11), built
once per test class from factories: a child (markers in the child's and the guardians'
names) registered by a school, a consent between the school and BUP, a SIP the school
called BUP to with the family's own records in the portal (the answer to the call,
"what is important", the child's own words), a handover to another school, an earlier
report of concern from the child's former preschool in another municipality, closed
there with feedback and evaluated by both sides, a knowledge event with a registration,
an agreement with an attachment, a strategy plan with goals, activities, indicators and
a follow-up report, and a builder-made survey with free-text answers.

``set_state`` puts the consent into one state in place (none, partial categories,
revoked, expired, lapsed by context, protected identity, do-not-inform), so one world
serves every state.
"""

from __future__ import annotations

import datetime
import io
import re

from django.apps import apps
from django.utils import timezone

from samverkan.concerns import services as concern_services
from samverkan.consent import grants
from samverkan.consent import services as consent_services
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PrincipalFactory,
    actor_of,
)
from samverkan.governance import attachments, plan_services, reports, surveys
from samverkan.governance import services as agreement_services
from samverkan.handover import services as handover_services
from samverkan.knowledge import services as knowledge_services
from samverkan.legal import catalogue
from samverkan.people import selectors as people_selectors
from samverkan.people import services as people_services
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory
from samverkan.plans import services as plan_services_sip
from samverkan.portal.tests.conftest import born, portal_client
from samverkan.portal.tests.factories import (
    CustodyFactory,
    FamilyAccountFactory,
    GuardianFactory,
)

from .crawl import PREFIX, marker
from .world import ALL_CATEGORIES, secrecy_world

# ``lapsed`` and ``do_not_inform`` change the child's matters for good: they come last.
STATES = ["none", "partial", "revoked", "expired", "protected", "lapsed", "do_not_inform"]
# States in which BUP, a party to the consent when it holds, has no ground (the report
# kept from the guardians comes after the lapse, which still holds).
BUP_HAS_NO_GROUND = {"none", "revoked", "expired", "lapsed", "do_not_inform"}

# The child's and the guardians' names: may reach nobody without a ground, and never a
# governance page.
NAME_MARKERS = {"Childfirst", "Childlast", "Guardianfirst", "Guardianlast", "Parentfirst"}
CHILD_MARKERS = NAME_MARKERS | {
    # consent
    "Exclusions",
    "Childviews",
    "Consentnote",
    # SIP
    "Planpurpose",
    "Planquestion",
    "Longgoal",
    "Meetingplace",
    "Need",
    "Shortgoal",
    "Efforttitle",
    "Effortresponsible",
    "Planchildwords",
    # the family's records in the portal
    "Answermessage",
    "Important",
    "Ownwords",
    # handover
    "Handoveritem",
    "Handovernote",
    # the chronology's feedback, evaluations and plan versions (decision 0347)
    "Versioncomment",
    "Earlierworry",
    "Feedbacktext",
    "Evalschool",
    "Evalsocial",
    # the report (do-not-inform)
    "Worry",
    "Observations",
    "Donotinform",
    "Contextreason",
}
# The report from the former preschool in another municipality, its feedback and its
# evaluations: only for that preschool and that social services.
EARLIER_REPORT_MARKERS = {"Earlierworry", "Feedbacktext", "Evalschool", "Evalsocial"}
# In the partial state BUP is a party to a valid consent over the social situation only:
# it reads the child and the consent, nothing of the SIP (``insatser``), the handover,
# the reports or the chronology's texts.
PARTIAL_ALLOWED = NAME_MARKERS | {"Exclusions", "Childviews", "Consentnote"}
PARTIAL_CATEGORIES = ["social_situation"]
EVENT_MARKERS = {"Eventtitle", "Eventlocation", "Eventdescription", "Eventprogramme"}
REGISTRANT_MARKERS = {"Registrantfirst", "Registrantlast"}
AGREEMENT_MARKERS = {"Agreementtitle", "Agreementsummary", "Agreementbody", "Attachmentname"}
AGREEMENT_MARKERS |= {"Attachmentbody"}
GOVERNANCE_MARKERS = {
    "Strategyplan",
    "Strategysummary",
    "Goaltitle",
    "Goaldescription",
    "Focusarea",
    "Activitytitle",
    "Activitydescription",
    "Indicatorname",
    "Indicatordescription",
    "Reporttitle",
    "Reportanalysis",
}
SURVEY_TEXTS = {f"Surveytext{n}" for n in range(4)}
RESPONDENTS = {f"Respondent{n}" for n in range(4)}


def set_state(world, state: str) -> None:
    """Put the consent between the school and BUP into ``state``, starting from a valid
    consent each time (so the states can be visited in any order, except that
    ``do_not_inform`` files a report, which cannot be taken back: visit it last)."""
    Consent = apps.get_model("consent", "Consent")
    ConsentParty = apps.get_model("consent", "ConsentParty")
    ConsentGiver = apps.get_model("consent", "ConsentGiver")
    Child = apps.get_model("people", "Child")
    today = timezone.localdate()
    consent, child = world.state_consent, world.child
    lapsed = state in {"lapsed", "do_not_inform"}
    ConsentParty.objects.get_or_create(consent=consent, organisation=world.bup)
    InformationCategory = apps.get_model("consent", "InformationCategory")
    codes = PARTIAL_CATEGORIES if state == "partial" else ALL_CATEGORIES
    consent.categories.set(InformationCategory.objects.filter(code__in=codes))
    ConsentGiver.objects.filter(consent=consent).update(revoked_at=None)
    Consent.objects.filter(pk=consent.pk).update(
        valid_from=today - datetime.timedelta(days=10),
        valid_until=today + datetime.timedelta(days=300),
    )
    Child.objects.filter(pk=child.pk).update(protected_identity=False)
    if state == "none":
        ConsentParty.objects.filter(consent=consent, organisation=world.bup).delete()
    elif state == "revoked":
        ConsentGiver.objects.filter(consent=consent).update(revoked_at=timezone.now())
    elif state == "expired":
        Consent.objects.filter(pk=consent.pk).update(
            valid_from=today - datetime.timedelta(days=400),
            valid_until=today - datetime.timedelta(days=1),
        )
    if lapsed and not world.lapsed:
        people_services.involvement_change_context(
            actor=world.actor("socsek"),
            involvement_public_id=world.social_matter.public_id,
            context="investigation",
            reason=marker("Contextreason"),
        )
        world.lapsed = True
    elif state == "protected":
        Child.objects.filter(pk=child.pk).update(protected_identity=True)
    elif state == "do_not_inform" and world.report is None:
        world.report = concern_services.report_submit(
            actor=world.actor("rektor"),
            child=child,
            worry=marker("Worry"),
            observations=marker("Observations"),
            reporter_phone="08-123 456 78",
            do_not_inform_guardians=True,
            do_not_inform_reason=marker("Donotinform"),
        )
        world.ids["report"] = world.report.public_id
    grants.refresh([child.pk])


def bup_has_a_grant(world) -> bool:
    now = timezone.now()
    return (
        apps.get_model("consent", "SharingGrant")
        .objects.filter(
            child=world.child, organisation=world.bup, valid_from__lte=now, valid_until__gt=now
        )
        .exists()
    )


def build():
    world = secrecy_world(guardian=(marker("Guardianfirst"), marker("Guardianlast")))
    child = world.child
    apps.get_model("people", "Child").objects.filter(pk=child.pk).update(
        first_name=marker("Childfirst"), last_name=marker("Childlast")
    )
    child.refresh_from_db()
    principal = world.school.principal
    world.new_school = OrganisationFactory(principal=principal, org_type="skola")
    world.other_school = OrganisationFactory(principal=principal, org_type="skola")
    world.staff["new_rektor"] = MembershipFactory(code="rektor", organisation=world.new_school)
    world.staff["new_teacher"] = MembershipFactory(code="larare", organisation=world.new_school)
    world.staff["outsider"] = MembershipFactory(code="rektor", organisation=world.other_school)
    world.staff["admin"] = MembershipFactory(code="administrator", organisation=world.school)
    world.staff["owner"] = MembershipFactory(code="enhetschef", organisation=world.social)
    world.staff["strategist"] = MembershipFactory(code="strategigrupp", organisation=world.social)
    registrant = world.staff["mentor"].user
    registrant.first_name, registrant.last_name = (
        marker("Registrantfirst"),
        marker("Registrantlast"),
    )
    registrant.save(update_fields=["first_name", "last_name"])
    # A second guardian with a portal account (the family's own records on the SIP).
    parent = GuardianFactory(organisation=world.school, first_name=marker("Parentfirst"))
    CustodyFactory(child=child, guardian=parent)
    world.parent_account = FamilyAccountFactory(
        personal_number=parent.personal_number, display_name=parent.full_name
    )
    _, world.social_matter = people_services.child_register(
        actor=world.actor("socsek"),
        personal_number=child.personal_number,
        first_name=child.first_name,
        last_name=child.last_name,
        context="voluntary_support",
    )
    world.state_consent = world.consent(
        [world.school, world.social, world.bup],
        exclusions=marker("Exclusions"),
        child_views=marker("Childviews"),
        note=marker("Consentnote"),
    )
    world.report, world.lapsed = None, False
    plan = _sip(world)
    handover = _handover(world)
    earlier = _earlier_report(world)
    event = _event(world)
    agreement, attachment = _agreement(world)
    strategy, follow_up = _strategy(world)
    survey = _survey(world)
    world.ids = {
        "child": child.public_id,
        "plan": plan.public_id,
        "handover": handover.public_id,
        "earlier_report": earlier.public_id,
        "event": event.public_id,
        "agreement": agreement.public_id,
        "attachment": attachment.public_id,
        "strategy": strategy.public_id,
        "follow_up": follow_up.public_id,
        "survey": survey.public_id,
    }
    return world


def _sip(world):
    school = world.actor("rektor")
    plan = plan_services_sip.plan_start(
        actor=school,
        child=world.child,
        called_organisation_ids=[world.bup.pk],
        purpose=marker("Planpurpose"),
        question=marker("Planquestion"),
        long_term_goal=marker("Longgoal"),
        meeting_at=timezone.now() + datetime.timedelta(days=5),
        meeting_place=marker("Meetingplace"),
    )
    plan = plan_services_sip.plan_save(
        actor=school,
        plan=plan,
        expected_version=plan.version,
        needs=[marker("Need")],
        long_term_goal=marker("Longgoal"),
        short_term_goals=[marker("Shortgoal")],
        efforts=[
            plan_services_sip.EffortInput(
                title=marker("Efforttitle"),
                organisation_id=world.school.pk,
                responsible=marker("Effortresponsible"),
            )
        ],
        responsible_organisation_id=world.school.pk,
        coordinator_user_id=world.staff["rektor"].user_id,
        follow_up_on=timezone.localdate() + datetime.timedelta(days=30),
        child_words=marker("Planchildwords"),
        comment=marker("Versioncomment"),
    )
    family = portal_client(world.parent_account)
    url = f"/familj/plan/{plan.public_id}/"
    answered = family.post(
        url + "svar/", {"answer-reply": "accept", "answer-message": marker("Answermessage")}
    )
    important = family.post(url + "viktigt/", {"important-text": marker("Important")})
    assert (answered.status_code, important.status_code) == (302, 302), answered.content[-500:]
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
    return plan


def _handover(world):
    actor = world.actor("rektor")
    conditions = catalogue.load().get("school_transition").conditions
    return handover_services.handover_send(
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
    concern_services.feedback_send(actor=handler, report=report, text=marker("Feedbacktext"))
    answers = {key: "ja" for key, _ in concern_services.EVALUATION_QUESTIONS}
    for who, comment in (("preschool", "Evalschool"), ("social_b", "Evalsocial")):
        concern_services.evaluation_submit(
            actor=world.actor(who), report=report, answers=answers, comment=marker(comment)
        )
    return report


def _event(world):
    start = timezone.now() + datetime.timedelta(days=10)
    event = knowledge_services.event_create(
        actor=world.actor("admin"),
        title=marker("Eventtitle"),
        kind="utbildning",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        invited_organisation_ids=[world.school.pk],
        location=marker("Eventlocation"),
        description=marker("Eventdescription"),
        programme=marker("Eventprogramme"),
    )
    knowledge_services.event_register(actor=world.actor("mentor"), event_id=event.public_id)
    return event


PDF_ATTACHMENT = b"%PDF-1.4\n% " + marker("Attachmentbody").encode() + b"\n%%EOF\n"


def _agreement(world):
    Function = apps.get_model("directory", "Function")
    today = timezone.localdate()
    agreement = agreement_services.agreement_create(
        actor=None,
        data=agreement_services.AgreementData(
            title=marker("Agreementtitle"),
            kind="rutin",
            status="gallande",
            summary=marker("Agreementsummary"),
            body=f"# Syfte\n{marker('Agreementbody')}\n",
            owner_organisation=world.social,
            owner_function=Function.objects.get(code="enhetschef"),
            decided_on=today - datetime.timedelta(days=20),
            review_on=today + datetime.timedelta(days=300),
            parties=[world.social, world.school],
        ),
    )
    attachment = attachments.attachment_add(
        actor=world.actor("owner"),
        agreement_id=agreement.public_id,
        filename=marker("Attachmentname") + ".pdf",
        content=PDF_ATTACHMENT,
    )
    return agreement, attachment


def _strategy(world):
    strategist = world.actor("strategist")
    today = timezone.localdate()
    plan = plan_services.plan_create(
        actor=strategist,
        title=marker("Strategyplan"),
        period_start=today - datetime.timedelta(days=60),
        period_end=today + datetime.timedelta(days=300),
        summary=marker("Strategysummary"),
    )
    goal = plan_services.goal_add(
        actor=strategist,
        plan=plan,
        title=marker("Goaltitle"),
        description=marker("Goaldescription"),
    )
    area = plan_services.focus_area_add(actor=strategist, plan=plan, title=marker("Focusarea"))
    Function = apps.get_model("directory", "Function")
    plan_services.activity_add(
        actor=strategist,
        focus_area=area,
        title=marker("Activitytitle"),
        description=marker("Activitydescription"),
        owner_organisation=world.school,
        owner_function=Function.objects.get(code="rektor"),
    )
    plan_services.indicator_add(
        actor=strategist,
        plan=plan,
        name=marker("Indicatorname"),
        definition="concerns.reports_by_reporter_type",
        description=marker("Indicatordescription"),
        goal=goal,
    )
    report = reports.report_create(
        actor=strategist,
        plan=plan,
        kind="delar",
        title=marker("Reporttitle"),
        period_start=today - datetime.timedelta(days=60),
        period_end=today,
        analysis=f"# Läget\n{marker('Reportanalysis')}",
    )
    return plan, report


def _survey(world):
    strategist = world.actor("strategist")
    survey = surveys.survey_create(
        actor=strategist,
        title="Hur går samverkan?",
        audience="verksamheter",
        org_types=["skola", "bup", "socialtjanst"],
        min_group=3,
    )
    surveys.question_add(actor=strategist, survey=survey, kind="fritext", text="Vad saknas?")
    survey = surveys.survey_set_status(actor=strategist, survey=survey, status="oppen")
    for n in range(4):
        organisation = OrganisationFactory(principal=world.school.principal, org_type="skola")
        member = MembershipFactory(code="kurator", organisation=organisation)
        user = member.user
        user.username = f"{PREFIX}Respondent{n}"
        user.first_name, user.last_name = f"{PREFIX}Respondent{n}", f"{PREFIX}Respondent{n}"
        user.save(update_fields=["username", "first_name", "last_name"])
        surveys.answer_submit(
            actor=actor_of(member), survey=survey, answers={1: marker(f"Surveytext{n}")}
        )
    return survey


def another_family(world):
    """A guardian of another pupil of the same school, logged in to the portal."""
    child = ChildFactory(date_of_birth=born(9), first_name="Signe")
    guardian = GuardianFactory(organisation=world.school, first_name="Karin")
    CustodyFactory(child=child, guardian=guardian)
    account = FamilyAccountFactory(
        personal_number=guardian.personal_number, display_name=guardian.full_name
    )
    return portal_client(account)


def texts(response) -> list[str]:
    """What a response gives its reader: the body (a PDF's or a workbook's text, not its
    bytes) and the headers."""
    kind = response.headers.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    found = [str(dict(response.headers)), body.decode("utf-8", errors="replace")]
    if "pdf" in kind and body.startswith(b"%PDF") and len(body) > 200:
        from pypdf import PdfReader

        found.append("".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(body)).pages))
    elif "spreadsheet" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        found += [
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        ]
    return found


def markers_in(response) -> set[str]:
    return {
        m.removeprefix(PREFIX)
        for text in texts(response)
        for m in re.findall(PREFIX + r"[A-Za-z0-9]+", text)
    }
