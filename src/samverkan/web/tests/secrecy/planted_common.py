"""The municipality's kinds of record in the planted world (``planted``): a knowledge
event with a registration (who registered is a marker), an agreement between social
services and the school with a PDF attachment, a strategy plan with goals, activities,
indicators and a follow-up report, and a survey with free-text answers from four
respondents (their names are markers). None of it is about the child; who may read it
is the question: the event and the strategy plan any member of staff, the agreement its
parties, the survey's free texts the strategy group, who registered the organiser."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.utils import timezone

from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory, actor_of
from samverkan.governance import attachments, plan_services, reports, surveys
from samverkan.governance import services as agreement_services
from samverkan.knowledge import services as knowledge_services
from samverkan.people.tests.factories import ChildFactory
from samverkan.portal.tests.conftest import born, portal_client
from samverkan.portal.tests.factories import (
    CustodyFactory,
    FamilyAccountFactory,
    GuardianFactory,
)

from .crawl import PREFIX, marker

EVENT_MARKERS = {"Eventtitle", "Eventlocation", "Eventdescription", "Eventprogramme"}
REGISTRANT_MARKERS = {"Registrantfirst", "Registrantlast"}
AGREEMENT_MARKERS = {
    "Agreementtitle",
    "Agreementsummary",
    "Agreementbody",
    "Attachmentname",
    "Attachmentbody",
}
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


def plant(world) -> None:
    registrant = world.staff["registrant"].user
    registrant.first_name, registrant.last_name = (
        marker("Registrantfirst"),
        marker("Registrantlast"),
    )
    registrant.save(update_fields=["first_name", "last_name"])
    event = _event(world)
    agreement, attachment = _agreement(world)
    strategy, follow_up = _strategy(world)
    survey = _survey(world)
    world.ids |= {
        "event": event.public_id,
        "agreement": agreement.public_id,
        "attachment": attachment.public_id,
        "strategy": strategy.public_id,
        "follow_up": follow_up.public_id,
        "survey": survey.public_id,
    }


def _event(world):
    start = timezone.now() + datetime.timedelta(days=10)
    event = knowledge_services.event_create(
        actor=world.actor("admin"),
        title=marker("Eventtitle"),
        kind="utbildning",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        invited_organisation_ids=[world.school.pk, world.registrant_school.pk],
        location=marker("Eventlocation"),
        description=marker("Eventdescription"),
        programme=marker("Eventprogramme"),
    )
    knowledge_services.event_register(actor=world.actor("registrant"), event_id=event.public_id)
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
