"""Records the form fuzz (test_form_fuzz.py) makes so that the forms no page of the
demo world shows appear on some page: each ``State`` builds what one form needs (a
retention hold, an approved meeting, a closed report, a child with protected identity,
...), says who is shown the form and on which page, and which routes its forms post to.
Everything is made inside the test's transaction and gone afterwards."""

from __future__ import annotations

import datetime
import html
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.test import Client
from django.utils import timezone

from samverkan.concerns import services as concerns
from samverkan.directory import selectors as directory
from samverkan.directory.administration import functions as directory_functions
from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory
from samverkan.governance import attachments as governance_attachments
from samverkan.governance import selectors as governance_selectors
from samverkan.governance import surveys as governance_surveys
from samverkan.handover import services as handover
from samverkan.knowledge import selectors as knowledge_selectors
from samverkan.knowledge import services as knowledge
from samverkan.meetings import selectors as meetings_selectors
from samverkan.meetings import services as meetings
from samverkan.meetings.tests.factories import MeetingFactory
from samverkan.people import selectors as people
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory
from samverkan.portal import session as portal_session
from samverkan.portal.tests.factories import CustodyFactory, FamilyAccountFactory, GuardianFactory
from samverkan.retention import services as retention


@dataclass
class Made:
    client: Client
    starts: list[str]
    routes: set[str]  # every one must be shown to the client on the pages (a form each)
    expand: tuple[str, ...] = ()
    depth: int = 2
    settings: dict = field(default_factory=dict)  # in force while the forms are fuzzed
    # Others shown forms of the same state: (client, starts, routes), fuzzed the same way.
    also: list[tuple[Client, list[str], set[str]]] = field(default_factory=list)


def _samir_forum(world):
    samir = world.actor("samir")
    return samir, next(
        f
        for f in meetings_selectors.forum_list(samir)
        if f.convener_organisation_id == samir.organisation_id
        and f.convener_function.code == "samordnare"
    )


def retention_hold(world, login) -> Made:
    retention.hold_place(
        placed_by="Systemförvaltningen",
        reason="Tillsyn av IVO.",
        record_type="concerns.report_not_investigated",
        reference="IVO 1-2026",
    )
    return Made(
        login("sysadmin"),
        ["/administration/gallring/"],
        {"administration/gallring/sparr/<uuid:public_id>/hav/"},
        depth=1,
    )


def administration(world, login) -> Made:
    """Social services' administrator: its units, a function of its own, its contact
    functions (the administration pages and the catalogue's own page)."""
    social = world.organisations["Socialtjänsten barn och familj"]
    directory_functions.function_save(
        actor=world.actor("admin"), organisation=social, name="Familjebehandlare (fuzz)"
    )
    cf = directory.contact_functions_provided(social.pk).first()
    return Made(
        login("admin"),
        [
            f"/administration/organisation/{social.public_id}/",
            f"/administration/organisation/{social.public_id}/kontaktfunktion/{cf.public_id}/",
            f"/katalog/kontaktfunktion/{cf.public_id}/",
        ],
        {
            "administration/organisation/<uuid:public_id>/enhet/<uuid:unit_id>/",
            "administration/organisation/<uuid:public_id>/funktion/<slug:code>/",
            "administration/organisation/<uuid:public_id>/kontaktfunktion/<uuid:cf_id>/",
            "administration/organisation/<uuid:public_id>/kontaktfunktion/<uuid:cf_id>/andra/",
            "katalog/kontaktfunktion/<uuid:public_id>/",
        },
        expand=("administration/organisation/<uuid:public_id>/",),
    )


def closed_report(world, login) -> Made:
    """A report Mats made, assessed and closed by social services: Mats evaluates."""
    from samverkan.concerns.tests.conftest import make_report

    report = make_report(world)
    concerns.handling_assign(
        actor=world.actor("maria"),
        report=report,
        handler_membership_id=world.memberships["olof"].pk,
    )
    olof = world.actor("olof")
    concerns.preliminary_decide(actor=olof, report=report, decision="not_open")
    concerns.handling_close(actor=olof, report=report, outcome="no_investigation")
    return Made(
        login("mats"),
        [f"/anmalan/{report.public_id}/"],
        {"anmalan/<uuid:report_id>/utvardering/"},
        depth=1,
    )


def protected_child(world, login) -> Made:
    """A child with protected identity in a matter of social services, no need recorded."""
    child = ChildFactory(
        protected_identity=True, date_of_birth=timezone.localdate().replace(year=2016)
    )
    InvolvementFactory(
        child=child,
        organisation=world.organisations["Socialtjänsten barn och familj"],
        context="investigation",
    )
    return Made(
        login("sofia"),
        [f"/barn/{child.public_id}/"],
        {"barn/<uuid:public_id>/arende/<uuid:involvement_id>/skyddade-uppgifter/"},
    )


def meetings_made(world, login) -> Made:
    """Samir's forum: an approved meeting (correction) and a planned one with an item
    that awaits its decision."""
    samir, forum = _samir_forum(world)
    approved = MeetingFactory(forum=forum, starts_in=-datetime.timedelta(days=3), status="planned")
    meetings.minutes_save(
        actor=samir, meeting=approved, minutes="Protokoll.", version=approved.version
    )
    approved.refresh_from_db()
    meetings.meeting_close(actor=samir, meeting=approved)
    meetings.minutes_approve(actor=samir, meeting=approved)
    upcoming = MeetingFactory(forum=forum, starts_in=datetime.timedelta(days=5), status="planned")
    meetings.item_add(
        actor=samir, meeting=upcoming, kind="general", title="Lovaktiviteter i sommar"
    )
    return Made(
        login("samir"),
        [f"/forum/mote/{approved.public_id}/", f"/forum/mote/{upcoming.public_id}/"],
        {"forum/mote/<uuid:meeting_id>/rattelse/", "forum/punkt/<uuid:item_id>/beslut/"},
        depth=1,
    )


def events(world, login) -> Made:
    """An upcoming and a past event organised by social services: its administrator
    changes, cancels, records attendance."""
    soon = timezone.now() + datetime.timedelta(days=10)
    upcoming = knowledge.event_create(
        actor=world.actor("admin"),
        title="Samverkansdag",
        kind="utbildning",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=3),
    )
    past = knowledge_selectors.events_past(world.actor("admin"))[0]
    return Made(
        login("admin"),
        [
            f"/kunskap/motesplatser/{upcoming.public_id}/",
            f"/kunskap/motesplatser/{past.public_id}/",
        ],
        {
            "kunskap/motesplatser/<uuid:public_id>/andra/",
            "kunskap/motesplatser/<uuid:public_id>/narvaro/",
            "kunskap/motesplatser/<uuid:public_id>/stall-in/",
        },
    )


def log_extract(world, login) -> Made:
    """A log extract Gustav has drafted and not yet reviewed."""
    client = login("gustav")
    drafted = client.post("/logg/utdrag/", {"personnummer": world.children["noah"].personal_number})
    return Made(client, [drafted["Location"]], {"logg/utdrag/<uuid:public_id>/"}, depth=1)


def disclosure(world, login) -> Made:
    """ "Kan jag lämna ut det här?": Sofia asks about a category to the school and
    chooses a ground that needs her judgement."""
    client = login("sofia")
    noah = world.children["noah"]
    base = f"/samtycken/barn/{noah.public_id}/kan-jag-lamna-ut/"
    page = client.get(
        base, {"to_organisation": world.organisations["Frejaskolan"].pk, "category": "insatser"}
    ).content.decode()
    chosen = re.search(r'href="(\?[^"#]*grund=[^"#]*)', page)
    start = base + html.unescape(chosen.group(1)) if chosen else base
    return Made(client, [start], {"samtycken/barn/<uuid:child_id>/kan-jag-lamna-ut/"}, depth=1)


def family(world, login) -> Made:
    """A guardian in the family portal: a consent waiting for their signature, the
    child's log."""
    from samverkan.consent import services as consent

    school = world.organisations["Frejaskolan"]
    child = ChildFactory(date_of_birth=timezone.localdate().replace(year=2015))
    InvolvementFactory(child=child, organisation=school)
    guardian = GuardianFactory(organisation=school, first_name="Maria")
    CustodyFactory(child=child, guardian=guardian)
    account = FamilyAccountFactory(
        personal_number=guardian.personal_number, display_name=guardian.full_name
    )
    given = consent.consent_give(
        actor=world.actor("frida"),
        child=child,
        party_ids=[world.organisations["BUP"].pk],
        category_codes=["skolsituation"],
        purpose_codes=["samverkanstraff"],
        form="digital",
        context="voluntary",
    )
    signed = consent.consent_give(
        actor=world.actor("frida"),
        child=child,
        party_ids=[world.organisations["BUP"].pk],
        category_codes=["skolsituation", "halsa"],
        purpose_codes=["sip"],
        form="written",
        context="voluntary",
        givers=[
            consent.GiverInput(
                kind="guardian", guardian_id=str(guardian.public_id), method="written"
            )
        ],
    )
    return Made(
        _portal_client(account),
        [
            f"/familj/samtycke/{given.public_id}/",
            f"/familj/samtycke/{signed.public_id}/",
            f"/familj/barn/{child.public_id}/logg/",
            "/familj/meddelanden/",
        ],
        {
            "familj/barn/<uuid:child_id>/logg/begar/",
            "familj/meddelanden/",
            "familj/samtycke/<uuid:consent_id>/aterkalla/",
            "familj/samtycke/<uuid:consent_id>/inskrank/",
            "familj/samtycke/<uuid:consent_id>/skriv-under/",
        },
        depth=1,
    )


def surveys(world, login) -> Made:
    """The strategy group's surveys: a draft Greta changes, an open one she answers."""
    greta = world.actor("greta")
    made = {
        title: governance_surveys.survey_create(
            actor=greta,
            title=title,
            audience="verksamheter",
            org_types=[greta.organisation_type],
            with_climate_questions=True,
        )
        for title in ("Samverkansklimatet (utkast)", "Samverkansklimatet 2026")
    }
    governance_surveys.survey_set_status(
        actor=greta, survey=made["Samverkansklimatet 2026"], status="oppen"
    )
    return Made(
        login("greta"),
        [f"/strategi/enkater/{s.public_id}/" for s in made.values()],
        {
            "strategi/enkater/<uuid:survey_id>/andra/<slug:what>/",
            "strategi/enkater/<uuid:survey_id>/svara/",
        },
        depth=2,
    )


def agreement_attachment(world, login) -> Made:
    """An agreement with an attachment: the strategy group's upload and remove forms."""
    greta = world.actor("greta")
    agreement = governance_selectors.agreement_list(greta)[0]
    governance_attachments.attachment_add(
        actor=greta,
        agreement_id=agreement.public_id,
        filename="Underskrivet avtal.pdf",
        content=b"%PDF-1.7\n%fuzz\n",
    )
    return Made(
        login("greta"),
        [f"/avtal/{agreement.public_id}/"],
        {
            "avtal/<uuid:agreement_id>/bilagor/",
            "avtal/<uuid:agreement_id>/bilagor/<uuid:attachment_id>/ta-bort/",
        },
        depth=1,
    )


def sms(world, login) -> Made:
    """The inbox's SMS choice, shown where an SMS gateway is configured."""
    from django.conf import settings

    return Made(
        login("maria"),
        ["/inkorg/"],
        {"inkorg/sms/"},
        depth=1,
        settings={"SAMVERKAN_SMS": {**settings.SAMVERKAN_SMS, "GATEWAY": "file"}},
    )


def _new_school():
    return OrganisationFactory(name="Ekbackeskolan", org_type="skola")


def handover_send(world, login) -> Made:
    """Frida (rektor, Frejaskolan) hands Noah over to a school he moves to: the packet's
    form for the school-transition ground."""
    school = _new_school()
    noah = world.children["noah"]
    start = (
        f"/overlamningar/barn/{noah.public_id}/ny/"
        f"?till={school.pk}&slag=school_to_school&grund=school_transition"
    )
    return Made(login("frida"), [start], {"overlamningar/barn/<uuid:child_id>/ny/"}, depth=1)


def handover_answer(world, login) -> Made:
    """A packet about Noah waiting at the new school: its rektor acknowledges or
    refuses it (with a reason)."""
    school = _new_school()
    receiver = MembershipFactory(code="rektor", organisation=school)
    frida = world.actor("frida")
    noah = world.children["noah"]
    sent = handover.handover_send(
        actor=frida,
        child_view=people.child_get(frida, noah.public_id),
        to_organisation_id=school.pk,
        kind_code="school_to_school",
        ground_code="school_transition",
        items=[handover.Item("skolsituation", "Läser med stöd av bildstöd.")],
        confirmed=[0, 1],
        guardian_notice="informed",
    )
    client = Client(raise_request_exception=False)
    client.force_login(receiver.user)
    return Made(
        client,
        [f"/overlamningar/{sent.public_id}/"],
        {
            "overlamningar/<uuid:handover_id>/kvittera/",
            "overlamningar/<uuid:handover_id>/avvisa/",
        },
        depth=1,
    )


def catalogue_change(world, login) -> Made:
    """The catalogue of legal grounds: Greta (strategy group) has proposed a change to a
    ground; a municipal lawyer (kommunjurist) is shown the proposal form and the review."""
    from samverkan.directory.middleware import SESSION_KEY
    from samverkan.directory.tests.factories import MembershipFactory
    from samverkan.legal import editing, history

    history.record()
    ground = dict(editing.ground_data(editing.base().data, "care_under_18"))
    ground["name"] = "Vård och socialtjänst om barn under 18 år"
    editing.propose(
        actor=world.actor("greta"),
        ground=ground,
        applies_from=timezone.localdate() + datetime.timedelta(days=7),
        reason="Kortare namn.",
    )
    jurist = MembershipFactory(
        code="kommunjurist", organisation=world.organisations["Socialtjänsten barn och familj"]
    )
    client = Client(raise_request_exception=False)
    client.force_login(jurist.user)
    session = client.session
    session[SESSION_KEY] = jurist.pk
    session.save()
    return Made(
        client,
        ["/rattsliga-grunder/andringar/"],
        {
            "rattsliga-grunder/andringar/ny/",
            "rattsliga-grunder/andringar/<uuid:public_id>/granska/",
        },
    )


def eidas_link(world, login) -> Made:
    """A guardian with no Swedish number, recorded by Frida's school, whose foreign eID
    staff linked (decision 0310): the link and unlink forms on the guardian's form."""
    from django.conf import settings
    from django.test import override_settings

    from samverkan.people import eidas as people_eidas
    from samverkan.people import services as people_services

    issuer = "http://127.0.0.1:9/eidas-fuzz"
    school = world.memberships["frida"].organisation
    child = ChildFactory(date_of_birth=timezone.localdate().replace(year=2015))
    InvolvementFactory(child=child, organisation=school)
    custody = people_services.guardian_add(
        actor=world.actor("frida"),
        child=child,
        data=people_services.GuardianInput(
            first_name="Klaus", last_name="Müller", personal_number="", custody_type="gemensam"
        ),
    )
    portal = {**settings.SAMVERKAN_PORTAL_OIDC, "ISSUER": issuer}
    with override_settings(SAMVERKAN_PORTAL_OIDC=portal):
        people_eidas.link(
            actor=world.actor("frida"),
            child=child,
            guardian_public_id=custody.guardian.public_id,
            identifier="DE:fuzz0001",
            checked_how="pass",
        )
    return Made(
        login("frida"),
        [f"/barn/{child.public_id}/formular/vardnadshavare/{custody.guardian.public_id}/"],
        {
            "barn/<uuid:public_id>/vardnadshavare/<uuid:guardian_id>/eidas/",
            "barn/<uuid:public_id>/vardnadshavare/<uuid:guardian_id>/eidas/<uuid:link_id>/ta-bort/",
        },
        depth=1,
        settings={"SAMVERKAN_PORTAL_OIDC": portal},
    )


def _portal_client(account) -> Client:
    """A client logged in to the family portal as ``account`` (the session record the
    e-legitimation login writes; the login itself is tested in portal/tests)."""
    client = Client(raise_request_exception=False)
    session = client.session
    now = time.time()
    session[portal_session.SESSION_KEY] = {
        "account_id": account.pk,
        "name": account.display_name,
        "acr": "http://id.elegnamnden.se/loa/1.0/loa3",
        "level": 3,
        "sid": "fuzz-sid",
        "sub": f"sub-{account.pk}",
        "transaction_id": f"tx-{account.pk}-{int(now)}",
        "login_at": now,
        "seen_at": now,
    }
    session.save()
    return client


def family_plan(world, login) -> Made:
    """A SIP handed to the family: a young person of 15 (who may write their own words)
    called with the school and BUP to a meeting in a week; the guardian's portal page of
    the plan shows the answer, "viktigt" and own-words forms."""
    from samverkan.plans.tests.factories import PlanFactory, PlanOrganisationFactory

    school = world.organisations["Frejaskolan"]
    today = timezone.localdate()
    child = ChildFactory(date_of_birth=today.replace(year=today.year - 15))
    InvolvementFactory(child=child, organisation=school)
    guardian = GuardianFactory(organisation=school, first_name="Maria")
    CustodyFactory(child=child, guardian=guardian)
    plan = PlanFactory(
        child=child,
        started_by_organisation=school,
        started_by=world.users["frida"],
        meeting_at=timezone.now() + datetime.timedelta(days=7),
        meeting_place="Frejaskolan, rum 12",
    )
    PlanOrganisationFactory(plan=plan, organisation=school, is_starter=True)
    PlanOrganisationFactory(plan=plan, organisation=world.organisations["BUP"])
    young = FamilyAccountFactory(personal_number=child.personal_number, display_name="Ung")
    return Made(
        _portal_client(young),
        [f"/familj/plan/{plan.public_id}/"],
        {
            "familj/plan/<uuid:plan_id>/egna-ord/",
            "familj/plan/<uuid:plan_id>/svar/",
            "familj/plan/<uuid:plan_id>/viktigt/",
        },
        depth=1,
    )


def family_follow_up(world, login) -> Made:
    """A SIP established with Frida as coordinator and its next follow-up meeting set
    (decision 0336): the young person of 15 answers the follow-up meeting in the portal
    and writes what is important before it; Frida's page sets or moves the meeting."""
    from samverkan.plans import meetings
    from samverkan.plans import services as plan_services
    from samverkan.plans.tests.factories import PlanFactory, PlanOrganisationFactory

    school = world.organisations["Frejaskolan"]
    today = timezone.localdate()
    child = ChildFactory(date_of_birth=today.replace(year=today.year - 15))
    InvolvementFactory(child=child, organisation=school)
    frida = world.actor("frida")
    plan = PlanFactory(
        child=child,
        started_by_organisation=school,
        started_by=world.users["frida"],
        meeting_at=timezone.now() + datetime.timedelta(days=7),
        meeting_place="Frejaskolan, rum 12",
    )
    PlanOrganisationFactory(plan=plan, organisation=school, is_starter=True)
    plan_services.plan_save(
        actor=frida,
        plan=plan,
        expected_version=plan.version,
        needs=["Orka hela skoldagen"],
        long_term_goal="Gå ut nian",
        short_term_goals=["Tre hela dagar i veckan"],
        efforts=[
            plan_services.EffortInput(
                title="Läxhjälp", organisation_id=school.pk, responsible="Mentor"
            )
        ],
        responsible_organisation_id=school.pk,
        coordinator_user_id=world.users["frida"].pk,
        follow_up_on=today + datetime.timedelta(days=30),
    )
    plan.refresh_from_db()
    meetings.follow_up_meeting_set(
        actor=frida,
        plan=plan,
        meeting_at=timezone.now() + datetime.timedelta(days=30),
        place="Frejaskolan, konferensrummet",
    )
    young = FamilyAccountFactory(personal_number=child.personal_number, display_name="Ung")
    return Made(
        _portal_client(young),
        [f"/familj/plan/{plan.public_id}/"],
        {
            "familj/plan/<uuid:plan_id>/uppfoljning/svar/",
            "familj/plan/<uuid:plan_id>/uppfoljning/viktigt/",
        },
        depth=1,
        also=[
            (
                login("frida"),
                [f"/sip/{plan.public_id}/uppfoljningsmote/"],
                {"sip/<uuid:plan_id>/uppfoljningsmote/"},
            )
        ],
    )


def survey_invitation(world, login) -> Made:
    """A survey the strategy group bound to base-level meetings: Samir, who took part in
    one, answers it from his invitation."""
    from samverkan.core import signals
    from samverkan.governance import survey_occasions

    greta = world.actor("greta")
    survey = governance_surveys.survey_create(
        actor=greta,
        title="Efter mötet",
        audience="efter_mote",
        forum_levels=["basniva"],
    )
    governance_surveys.question_add(actor=greta, survey=survey, kind="skala5", text="Hur väl?")
    governance_surveys.question_add(actor=greta, survey=survey, kind="fritext", text="Vad saknas?")
    governance_surveys.survey_set_status(actor=greta, survey=survey, status="oppen")
    samir = world.actor("samir")
    invitation = survey_occasions.invite(
        trigger="meeting",
        occasion="fuzz-meeting",
        label="Basnivåns möte",
        forum_level="basniva",
        respondents=[
            signals.Respondent(samir.user_id, samir.organisation_id, samir.organisation_type)
        ],
    )[0]
    return Made(
        login("samir"),
        [f"/strategi/enkater/inbjudan/{invitation.public_id}/"],
        {"strategi/enkater/inbjudan/<uuid:invitation_id>/"},
        depth=1,
    )


STATES: dict[str, Callable] = {
    "handover_send": handover_send,
    "handover_answer": handover_answer,
    "catalogue_change": catalogue_change,
    "family_plan": family_plan,
    "family_follow_up": family_follow_up,
    "survey_invitation": survey_invitation,
    "sms": sms,
    "eidas_link": eidas_link,
    "retention_hold": retention_hold,
    "administration": administration,
    "closed_report": closed_report,
    "protected_child": protected_child,
    "meetings": meetings_made,
    "events": events,
    "log_extract": log_extract,
    "disclosure": disclosure,
    "family": family,
    "surveys": surveys,
    "agreement_attachment": agreement_attachment,
}
