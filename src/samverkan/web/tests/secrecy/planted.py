"""A world with a unique marker planted in every text field of a child's records and in
the texts the product makes from them, put into one consent state (issue 11).

States and what BUP (the viewer of the crawl) has:
- ``none``: BUP was never a party to a consent;
- ``revoked``, ``expired``: BUP was a party to a consent that no longer holds;
- ``lapsed``: a voluntary consent after social services' matter became an investigation;
- ``partial``: the guardians narrowed their consent: BUP is a party to a valid consent
  that covers some categories only, the SIP's efforts (``insatser``, so BUP reads the
  plan) and the social situation, not the school situation (the school's identified
  meeting item, raised under the earlier consent over every category);
- ``protected``: BUP is a party to a valid consent over every category, but the child and
  the guardian have protected identity (skyddade personuppgifter): the addresses and the
  class must reach nobody without a recorded need;
- ``do_not_inform``: as ``protected`` without the protection, and the school's report of
  concern is marked "Vårdnadshavarna får inte veta": BUP must not learn the report exists.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.utils import timezone

from samverkan.concerns import services as concern_services
from samverkan.consent import grants
from samverkan.consent import services as consent_services
from samverkan.directory.tests.factories import MembershipFactory, UnitFactory
from samverkan.meetings import services as meeting_services
from samverkan.people import services as people_services
from samverkan.plans import services as plan_services

from .crawl import marker
from .world import ALL_CATEGORIES, secrecy_world

STATES = ["none", "revoked", "expired", "lapsed", "partial", "protected", "do_not_inform"]

PARTIAL_CATEGORIES = ["insatser", "social_situation"]
# What a party reads under the partial consent: the consent itself and the plan.
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
}
# Markers of the protected identity (the addresses, where the child goes to class).
PROTECTED_MARKERS = {
    "Childstreet",
    "Childcity",
    "Guardianstreet",
    "Guardiancity",
    "Classname",
    "Schoolyear",
}
# Markers of the report of concern (and that it must be kept from the guardians).
REPORT_MARKERS = {"Worry", "Observations", "Reportchildwords", "Donotinform"}


def _child_fields(state: str) -> dict:
    if state != "protected":
        return {}
    return {
        "protected_identity": True,
        "street_address": marker("Childstreet"),
        "postal_code": "12345",
        "city": marker("Childcity"),
    }


def planted_world(state: str):
    world = secrecy_world(
        guardian=(marker("Guardianfirst"), marker("Guardianlast")), **_child_fields(state)
    )
    child = world.child
    # Social services' people work in a unit (its name is what a log extract shows).
    social_unit = UnitFactory(organisation=world.social, name=marker("Socialunit"))
    world.staff["socsek"].unit = social_unit
    world.staff["socsek"].save(update_fields=["unit"])
    world.staff["granskare_soc"] = MembershipFactory(code="granskare", organisation=world.social)
    world.staff["granskare_skola"] = MembershipFactory(code="granskare", organisation=world.school)
    # The guardian's address as the population register gives it.
    apps.get_model("people", "Guardian").objects.filter(custodies__child=child).update(
        street_address=marker("Guardianstreet"),
        city=marker("Guardiancity"),
        protected_identity=state == "protected",
    )
    if state == "protected":
        people_services.enrolment_add(
            actor=world.actor("rektor"),
            child=child,
            school_year=marker("Schoolyear"),
            class_name=marker("Classname"),
        )
    social_matter = None
    if state != "do_not_inform":  # there social services learns of the child by the report
        _, social_matter = people_services.child_register(
            actor=world.actor("socsek"),
            personal_number=child.personal_number,
            first_name=child.first_name,
            last_name=child.last_name,
            context="voluntary_support",
            note=marker("Socialnote"),
        )
    parties = {
        "none": [world.school, world.social],
        "revoked": [world.school, world.bup],
        "expired": [world.school, world.bup],
        "lapsed": [world.school, world.social, world.bup],
    }.get(state, [world.school, world.social, world.bup])
    consent = world.consent(
        parties,
        category_codes=ALL_CATEGORIES,
        purpose_codes=["sip", "allman_samverkan", "samverkanstraff"],
        exclusions=marker("Exclusions"),
        child_views=marker("Childviews"),
        note=marker("Consentnote"),
    )
    called = [o.pk for o in parties if o.pk != world.school.pk]
    plan = plan_services.plan_start(
        actor=world.actor("rektor"),
        child=child,
        called_organisation_ids=called,
        purpose=marker("Planpurpose"),
        question=marker("Planquestion"),
        long_term_goal=marker("Longgoal"),
        meeting_at=timezone.now() + datetime.timedelta(days=5),
        meeting_place=marker("Meetingplace"),
    )
    plan_services.plan_save(
        actor=world.actor("rektor"),
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
    )
    item = _identified_item(world, parties)
    ids = {
        "child": child.public_id,
        "plan": plan.public_id,
        "meeting": item.meeting.public_id,
        "forum": item.meeting.forum.public_id,
        "item": item.public_id,
    }
    if state == "revoked":
        consent_services.consent_revoke(
            actor=world.actor("rektor"), consent=consent, note=marker("Revocationnote")
        )
    elif state == "partial":
        # The guardians narrow what may pass: the consent is revoked and given anew
        # for some categories only.
        consent_services.consent_revoke(
            actor=world.actor("rektor"), consent=consent, note=marker("Revocationnote")
        )
        consent = world.consent(
            parties,
            category_codes=PARTIAL_CATEGORIES,
            purpose_codes=["sip", "allman_samverkan", "samverkanstraff"],
            exclusions=marker("Exclusions"),
            child_views=marker("Childviews"),
            note=marker("Consentnote"),
        )
    elif state == "expired":
        today = timezone.localdate()
        type(consent).objects.filter(pk=consent.pk).update(
            valid_from=today - datetime.timedelta(days=400),
            valid_until=today - datetime.timedelta(days=1),
        )
        grants.refresh([child.pk])
    elif state == "lapsed":
        people_services.involvement_change_context(
            actor=world.actor("socsek"),
            involvement_public_id=social_matter.public_id,
            context="investigation",
            reason=marker("Contextreason"),
        )
    ids["consent"] = consent.public_id
    secret = state == "do_not_inform"
    if state in {"partial", "protected"}:
        # A report to social services would lapse the voluntary consent (a change of
        # context); these states are about what a valid consent lets pass.
        return _done(world, ids, social_matter)
    report = concern_services.report_submit(
        actor=world.actor("rektor"),
        child=child,
        worry=marker("Worry"),
        observations=marker("Observations"),
        child_words=marker("Reportchildwords"),
        reporter_phone="08-123 456 78",
        do_not_inform_guardians=secret,
        do_not_inform_reason=marker("Donotinform") if secret else "",
    )
    if secret:  # social services opens the report (its unit's reads are logged)
        concern_services.handling_assign(
            actor=world.actor("socsek"),
            report=report,
            handler_membership_id=world.staff["socsek"].pk,
        )
    ids["report"] = report.public_id
    return _done(world, ids, social_matter)


def _done(world, ids, social_matter):
    consent_services.consents_sweep()  # the notices (expired, lapsed)
    if social_matter is not None:
        ids["involvement"] = social_matter.public_id
    return world, ids


def _identified_item(world, parties):
    """A forum of the three organisations convened by social services; at its next
    meeting the school raises the child by name (an identified item, on the consent)
    with markers in its title and text. Only the consent's parties attend."""
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
            present=organisation in parties,
        )
    return meeting_services.item_add(
        actor=world.actor("rektor"),
        meeting=meeting,
        kind="identified",
        title=marker("Itemtitle"),
        text=marker("Itemtext"),
        child=world.child,
        category="skolsituation",
    )
