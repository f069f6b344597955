"""Records attached to a handover packet (decision 0348): the sending school attaches a
copy of a SIP it holds. The copy travels only where the handover's ground covers what a
SIP is (efforts, ``insatser``): on a consent over it, not on the school-transition
ground (school situation only), not on a consent over other categories. It is decided
again at every read: revoked, the copy is withheld at once. Only a SIP the sender's own
organisation holds about this child can be attached."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.consent import services as consent_services
from samverkan.consent.models import Disclosure
from samverkan.core.errors import ValidationFailed
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PrincipalFactory,
)
from samverkan.handover.models import Handover
from samverkan.people import selectors as people
from samverkan.people import services as people_services
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory
from samverkan.plans import services as plan_services

from .test_handover import _client, _send, _url

pytestmark = pytest.mark.django_db

PLAN_NEED = "SIP-BEHOV-MARKOR-5521"


def _plan(w, categories: list[str]):
    """Guardians, a consent between the old school, the new school and BUP over
    ``categories`` for SIP and general collaboration, and a SIP the old school holds
    (BUP called) whose need carries the marker. Returns (plan, consent)."""
    rektor = w.actor(w.rektor)
    for first in ("Sara", "Per"):
        people_services.guardian_add(
            actor=rektor,
            child=w.child,
            data=people_services.GuardianInput(
                first_name=first, last_name="Testsson", custody_type="gemensam"
            ),
        )
    bup = OrganisationFactory(principal=PrincipalFactory(kind="region"), org_type="bup")
    InvolvementFactory(child=w.child, organisation=bup)
    consent = consent_services.consent_give(
        actor=rektor,
        child=w.child,
        party_ids=[w.old_school.pk, w.new_school.pk, bup.pk],
        category_codes=categories,
        purpose_codes=["sip", "allman_samverkan"],
        form="written",
        context="voluntary",
        givers=[
            consent_services.GiverInput(kind="guardian", guardian_id=str(c.guardian.public_id))
            for c in people.system_custodies(w.child, w.old_school.pk)
        ],
    )
    plan = plan_services.plan_start(
        actor=rektor,
        child=w.child,
        called_organisation_ids=[bup.pk],
        purpose="Samordna stödet i skolan och på BUP.",
        question="Hur får barnet stöd hela dagen?",
    )
    plan = plan_services.plan_save(
        actor=rektor,
        plan=plan,
        expected_version=plan.version,
        needs=[PLAN_NEED],
        long_term_goal="Trivs i skolan.",
        short_term_goals=["Går till skolan varje dag."],
        efforts=[
            plan_services.EffortInput(
                title="Anpassad studiegång",
                organisation_id=w.old_school.pk,
                responsible="Rektor",
            )
        ],
        responsible_organisation_id=w.old_school.pk,
        coordinator_user_id=w.rektor.user_id,
        follow_up_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    return plan, consent


def _page(membership, handover) -> str:
    return _client(membership).get(_url(handover)).content.decode()


def test_a_sip_copy_travels_on_a_consent_over_efforts_and_is_withheld_when_revoked(w):
    plan, consent = _plan(w, ["skolsituation", "insatser"])
    handover = _send(
        w, ground_code="consent", guardian_notice="", items=[], attached=[str(plan.public_id)]
    )
    page = _page(w.new_rektor, handover)
    assert PLAN_NEED in page
    assert f"SIP {plan.short_id}, version {plan.version}" in page
    # Read through the pipeline: one audit row for the record, one disclosure.
    assert AuditEvent.objects.filter(
        resource_type="handover.handoverrecord", actor_organisation_id=w.new_school.pk
    ).exists()
    shown = Disclosure.objects.filter(to_organisation=w.new_school, category__code="insatser")
    assert shown.get().ground_code == "consent"
    # The sender's own page shows what it sent; a third school sees nothing.
    assert PLAN_NEED in _page(w.rektor, handover)
    assert PLAN_NEED not in _client(w.other_rektor).get(_url(handover)).content.decode()
    # Revoked: the copy no longer passes, at once.
    consent_services.consent_revoke(actor=w.actor(w.rektor), consent=consent, note="Ångrar sig.")
    response = _client(w.new_rektor).get(_url(handover))
    assert PLAN_NEED not in response.content.decode()


def test_a_sip_copy_the_ground_does_not_cover_is_never_in_the_packet(w):
    plan, _consent = _plan(w, ["skolsituation", "insatser"])
    # The school-transition ground carries the school situation only.
    with pytest.raises(ValidationFailed) as refused:
        _send(w, attached=[str(plan.public_id)])
    assert refused.value.field == "attached"
    assert not Handover.objects.exists()
    # Nor is it offered there; on the consent it is.
    base = (
        f"/overlamningar/barn/{w.child.public_id}/ny/?till={w.new_school.pk}&slag=school_to_school"
    )
    client = _client(w.rektor)
    assert plan.short_id not in client.get(base + "&grund=school_transition").content.decode()
    assert plan.short_id in client.get(base + "&grund=consent").content.decode()
    # A post that names it anyway on the school ground sends nothing.
    posted = client.post(
        base + "&grund=school_transition",
        {
            "item_skolsituation": "Läser med bildstöd.",
            "guardian_notice": "informed",
            "conditions": ["0", "1"],
            "attached": [str(plan.public_id)],
        },
    )
    assert posted.status_code == 302
    handover = Handover.objects.get()
    assert PLAN_NEED not in _page(w.new_rektor, handover)
    assert PLAN_NEED not in _page(w.rektor, handover)


def test_a_consent_over_other_categories_does_not_carry_the_sip(w):
    plan, _consent = _plan(w, ["skolsituation", "insatser"])
    consent_services.consent_revoke(actor=w.actor(w.rektor), consent=_consent, note="Smalare.")
    narrower = consent_services.consent_give(
        actor=w.actor(w.rektor),
        child=w.child,
        party_ids=[w.old_school.pk, w.new_school.pk],
        category_codes=["skolsituation"],
        purpose_codes=["allman_samverkan"],
        form="written",
        context="voluntary",
        givers=[
            consent_services.GiverInput(kind="guardian", guardian_id=str(c.guardian.public_id))
            for c in people.system_custodies(w.child, w.old_school.pk)
        ],
    )
    assert narrower.pk
    with pytest.raises(ValidationFailed) as refused:
        _send(w, ground_code="consent", guardian_notice="", attached=[str(plan.public_id)])
    assert refused.value.field == "attached"
    assert not Handover.objects.exists()


def test_only_a_sip_the_senders_organisation_holds_about_the_child_can_be_attached(w):
    plan, _consent = _plan(w, ["skolsituation", "insatser"])
    # Another child's SIP held by the same school.
    other = ChildFactory()
    InvolvementFactory(child=other, organisation=w.old_school)
    with pytest.raises(ValidationFailed, match="Bara en SIP"):
        _send(w, ground_code="consent", guardian_notice="", attached=["not-a-plan"])
    # A SIP the school takes part in but another organisation holds.
    bup_staff = MembershipFactory(
        code="kurator",
        organisation=plan.organisations.exclude(organisation=w.old_school).get().organisation,
    )
    held_by_bup = plan_services.plan_start(
        actor=w.actor(bup_staff),
        child=w.child,
        called_organisation_ids=[w.old_school.pk],
        purpose="BUP:s plan.",
        question="Vad gör vi?",
    )
    with pytest.raises(ValidationFailed, match="Bara en SIP"):
        _send(w, ground_code="consent", guardian_notice="", attached=[str(held_by_bup.public_id)])
    assert not Handover.objects.exists()
