"""Grounds that need a human judgement: never applied without a recorded decision; the
interest-balancing of the general clause is required and audited; a decision dated
before its ground took effect is refused; a decision to disclose opens exactly one
category, one direction, for a limited time, and what passes is recorded with the ground
and the catalogue version; the page "Kan jag lämna ut det här?" leads the user through."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from samverkan.access.actor import Actor
from samverkan.audit.models import AuditEvent
from samverkan.consent import services as consent_services
from samverkan.consent import sharing
from samverkan.consent.models import Disclosure
from samverkan.core.errors import ValidationFailed
from samverkan.directory.models import Membership, Organisation
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PrincipalFactory,
    actor_of,
)
from samverkan.legal import catalogue, services
from samverkan.legal.models import DisclosureDecision
from samverkan.people import selectors as people
from samverkan.people import services as people_services
from samverkan.people.models import Child, InvolvementContext
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory

pytestmark = pytest.mark.django_db


@dataclass
class World:
    child: Child
    social: Organisation
    police: Organisation
    school: Organisation
    worker: Membership
    officer: Membership

    def actor(self, membership) -> Actor:
        return actor_of(membership)


@pytest.fixture
def w() -> World:
    municipality = PrincipalFactory()
    state = PrincipalFactory(kind="stat", name="Polismyndigheten")
    social = OrganisationFactory(principal=municipality, org_type="socialtjanst")
    school = OrganisationFactory(principal=municipality, org_type="skola")
    police = OrganisationFactory(principal=state, org_type="polis")
    child = ChildFactory(
        date_of_birth=timezone.localdate().replace(year=timezone.localdate().year - 16)
    )
    InvolvementFactory(child=child, organisation=social, context=InvolvementContext.INVESTIGATION)
    return World(
        child=child,
        social=social,
        police=police,
        school=school,
        worker=MembershipFactory(code="socialsekreterare", organisation=social),
        officer=MembershipFactory(code="kurator", organisation=police),
    )


def _share(w: World, at=None, category="social_situation", to=None):
    return sharing.decide_sharing(
        child=w.child,
        from_organisation_id=w.social.pk,
        to_organisation_id=(to or w.police).pk,
        category=category,
        purpose=None,
        at=at,
    )


def _record(w: World, ground="social_to_police_under_21", **overrides):
    actor = w.actor(w.worker)
    view = people.child_get(actor, w.child.public_id)
    conditions = catalogue.load().get(ground).conditions
    arguments = {
        "actor": actor,
        "child_view": view,
        "to_organisation_id": w.police.pk,
        "category": "social_situation",
        "ground_code": ground,
        "what": "Uppgift om att den unge har rekryterats till ett nätverk.",
        "confirmed": list(range(len(conditions))),
        "outcome": "disclose",
        "motivation": "Behövs för att förhindra ny brottslighet.",
        "recipient_need": "",
        "secrecy_interest": "",
    }
    arguments.update(overrides)
    return services.decision_record(**arguments)


def _decision_rows():
    return AuditEvent.objects.filter(resource_type="legal.disclosuredecision", action="create")


def test_a_judgement_ground_is_never_applied_without_a_recorded_decision(w):
    assert not _share(w).allowed
    _record(w)
    decision = _share(w)
    assert decision.allowed
    assert decision.ground.code == "social_to_police_under_21"
    assert decision.ground.version == catalogue.load().version


def test_a_refusal_opens_nothing_and_a_decision_opens_one_category_one_way(w):
    _record(w, outcome="refuse")
    assert not _share(w).allowed
    _record(w)
    assert _share(w).allowed
    assert not _share(w, category="halsa").allowed
    back = sharing.decide_sharing(
        child=w.child,
        from_organisation_id=w.police.pk,
        to_organisation_id=w.social.pk,
        category="social_situation",
        purpose=None,
    )
    assert not back.allowed


def test_a_decision_to_disclose_ends(w):
    decision = _record(w)
    assert _share(w, at=decision.valid_until - datetime.timedelta(minutes=1)).allowed
    assert not _share(w, at=decision.valid_until + datetime.timedelta(minutes=1)).allowed
    assert not _share(w, at=decision.decided_at - datetime.timedelta(minutes=1)).allowed


def test_what_passes_is_recorded_with_the_ground_and_the_catalogue_version(w):
    _record(w)
    officer = w.actor(w.officer)
    consent_services.disclosure_record(
        actor=officer,
        child=w.child,
        decision=_share(w),
        from_organisation_id=w.social.pk,
        category="social_situation",
        purpose=None,
        what="Social situation",
        resource_type="people.child",
        resource_id=str(w.child.public_id),
    )
    row = Disclosure.objects.get(child=w.child)
    assert (row.ground_code, row.ground_version) == (
        "social_to_police_under_21",
        catalogue.load().version,
    )
    read = AuditEvent.objects.filter(action="read", actor_organisation_id=w.police.pk).last()
    assert read.ground_code == "social_to_police_under_21"
    assert read.details["ground_version"] == catalogue.load().version


def test_the_general_clause_requires_a_recorded_interest_balancing(w):
    conditions = catalogue.load().get("general_clause").conditions
    with pytest.raises(ValidationFailed) as missing:
        _record(w, ground="general_clause", recipient_need="Polisen utreder ett rån.")
    assert missing.value.field == "secrecy_interest"
    with pytest.raises(ValidationFailed) as missing:
        _record(w, ground="general_clause", secrecy_interest="Familjens förtroende.")
    assert missing.value.field == "recipient_need"
    assert not DisclosureDecision.objects.exists() and not _decision_rows().exists()

    decision = _record(
        w,
        ground="general_clause",
        recipient_need="Polisen utreder ett rån mot den unge.",
        secrecy_interest="Den unges förtroende för socialtjänsten.",
    )
    assert decision.decided_by_name == w.actor(w.worker).label
    assert decision.conditions_confirmed == list(conditions)
    assert (decision.recipient_need, decision.secrecy_interest, decision.outcome) == (
        "Polisen utreder ett rån mot den unge.",
        "Den unges förtroende för socialtjänsten.",
        "disclose",
    )
    row = _decision_rows().get()
    assert (row.ground_code, row.subject_id, row.actor_user_id) == (
        "general_clause",
        str(w.child.public_id),
        w.worker.user_id,
    )
    assert row.details["interest_balancing"] is True
    assert row.details["ground_version"] == catalogue.load().version


def test_a_decision_dated_before_its_ground_took_effect_is_refused(w):
    balancing = {"recipient_need": "Behov.", "secrecy_interest": "Skydd."}
    before = timezone.make_aware(datetime.datetime(2025, 11, 30, 12, 0))
    with pytest.raises(ValidationFailed, match="gäller först från 2025-12-01"):
        _record(w, ground="general_clause", at=before, **balancing)
    _record(w, ground="general_clause", at=before + datetime.timedelta(days=1), **balancing)
    assert DisclosureDecision.objects.count() == 1


def test_every_condition_must_be_confirmed(w):
    with pytest.raises(ValidationFailed) as error:
        _record(w, confirmed=[0])
    assert error.value.field == "conditions"
    assert not DisclosureDecision.objects.exists()


def test_a_ground_is_refused_where_the_catalogue_refuses_it(w):
    # 10:18 a goes from social services to the police only; not to a school.
    with pytest.raises(ValidationFailed, match="gäller inte från den här sortens"):
        _record(w, to_organisation_id=w.school.pk)
    # A ground Samverkan applies itself needs no decision.
    with pytest.raises(ValidationFailed, match="kräver inget beslut"):
        _record(w, ground="consent")


def test_the_police_is_not_reached_by_a_consent_even_one_that_names_it(w):
    # A child only the school and the child psychiatry know (no investigation anywhere).
    child = ChildFactory(date_of_birth=datetime.date(timezone.localdate().year - 9, 1, 1))
    bup = OrganisationFactory(principal=PrincipalFactory(kind="region"), org_type="bup")
    rektor = w.actor(MembershipFactory(code="rektor", organisation=w.school))
    InvolvementFactory(child=child, organisation=w.school)
    for first in ("Sara", "Per"):
        people_services.guardian_add(
            actor=rektor,
            child=child,
            data=people_services.GuardianInput(
                first_name=first, last_name="Testsson", custody_type="gemensam"
            ),
        )
    consent_services.consent_give(
        actor=rektor,
        child=child,
        party_ids=[w.school.pk, bup.pk, w.police.pk],
        category_codes=["halsa"],
        purpose_codes=["allman_samverkan"],
        form="written",
        context="voluntary",
        child_views="Vill.",
        givers=[
            consent_services.GiverInput(kind="guardian", guardian_id=str(c.guardian.public_id))
            for c in people.system_custodies(child, w.school.pk)
        ],
    )

    def share(to):
        return sharing.decide_sharing(
            child=child,
            from_organisation_id=w.school.pk,
            to_organisation_id=to.pk,
            category="halsa",
            purpose=None,
        )

    assert share(bup).allowed  # the same consent covers the child psychiatry
    refused = share(w.police)
    assert not refused.allowed
    assert (
        refused.reason == "Samtycke gäller inte från den här sortens verksamhet till mottagarens."
    )


def _client(membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def _page(w):
    return f"/samtycken/barn/{w.child.public_id}/kan-jag-lamna-ut/"


def test_the_page_leads_through_a_ground_and_records_the_balancing(w):
    client = _client(w.worker)
    query = f"?to_organisation={w.police.pk}&category=social_situation"
    listing = client.get(_page(w) + query)
    text = listing.content.decode()
    assert listing.status_code == 200
    assert "Generalklausul för utlämnande mellan myndigheter" in text
    assert "ska kontrolleras av jurist" in text
    assert "Nej, inget samtycke eller annan grund gäller just nu." in text

    form_page = client.get(_page(w) + query + "&grund=general_clause")
    assert "Vad behöver mottagaren uppgifterna till?" in form_page.content.decode()
    conditions = catalogue.load().get("general_clause").conditions
    post = {
        "what": "Att den unge har fått hot.",
        "conditions": [str(i) for i in range(len(conditions))],
        "recipient_need": "",
        "secrecy_interest": "Familjens förtroende.",
        "outcome": "disclose",
        "motivation": "Hotet är allvarligt.",
    }
    kept = client.post(_page(w) + query + "&grund=general_clause", post)
    assert kept.status_code == 200
    assert "Familjens förtroende." in kept.content.decode()  # the input is kept
    assert not DisclosureDecision.objects.exists()

    post["recipient_need"] = "Polisen utreder hotet."
    done = client.post(_page(w) + query + "&grund=general_clause", post)
    assert done.status_code == 302
    decision = DisclosureDecision.objects.get()
    assert (decision.ground_code, decision.to_organisation_id) == ("general_clause", w.police.pk)
    after = client.get(done["Location"]).content.decode()
    assert "Polisen utreder hotet." in after
    assert "Ja: Generalklausul" in after


def test_an_organisation_without_its_own_matter_cannot_use_the_page(w):
    teacher = MembershipFactory(code="larare", organisation=w.school)
    assert _client(teacher).get(_page(w)).status_code == 404


def test_the_catalogue_page_answers_a_past_date(w):
    client = _client(w.worker)
    today = client.get("/rattsliga-grunder/").content.decode()
    assert "Generalklausul för utlämnande mellan myndigheter" in today
    before = client.get("/rattsliga-grunder/?datum=2025-11-30").content.decode()
    assert "Generalklausul för utlämnande mellan myndigheter" not in before
    assert "Samtycke" in before
    bad = client.get("/rattsliga-grunder/?datum=igår").content.decode()
    assert "Skriv datumet som ÅÅÅÅ-MM-DD." in bad


def test_the_decision_shows_in_the_deciding_organisations_chronology(w):
    _record(w, ground="general_clause", recipient_need="Behov.", secrecy_interest="Skydd.")
    page = _client(w.worker).get(f"/barn/{w.child.public_id}/kronologi/?typ=decision").text
    assert "Utlämnandeprövning" in page
    assert f"Lämna ut till {w.police.name}" in page
    assert "Generalklausul för utlämnande mellan myndigheter" in page  # the ground beside it
    other = MembershipFactory(code="socialsekreterare", organisation=w.social)
    assert (
        "Utlämnandeprövning" in _client(other).get(f"/barn/{w.child.public_id}/kronologi/").text
    )  # the same organisation's colleague
