"""Handover when a child moves (issue 18 item 4): who gets what and who must not.

A school hands over to the school the child moves to on the school-transition ground
(only "skolsituation" travels on it; health needs a consent); the receiving school's
rektor sees the packet in the inbox and acknowledges it; the receiver gets its own
matter and the pupil's placement, the sender's matter is closed. Every item read by the
receiver is a disclosure with its ground and the catalogue's version. A teacher at the
receiving school before the receipt, a third organisation and social services with its
own matter see nothing. Social services hands a matter over to another municipality and
may withhold the notice to the guardians only with a reason. A packet on consent is
withheld at once when the consent is revoked."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from samverkan.access.actor import Actor
from samverkan.audit.models import AuditEvent
from samverkan.consent import services as consent_services
from samverkan.consent.models import Disclosure
from samverkan.core.errors import ValidationFailed
from samverkan.directory.models import Membership, Organisation
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PrincipalFactory,
    actor_of,
)
from samverkan.handover import services
from samverkan.handover.models import Handover, Status
from samverkan.legal import catalogue
from samverkan.notify import selectors as notify
from samverkan.people import selectors as people
from samverkan.people import services as people_services
from samverkan.people.models import Child, Enrolment, Involvement, InvolvementContext
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory

pytestmark = pytest.mark.django_db

SECRET = "PLANTERAD-UPPGIFT-7731"
HEALTH = "HALSO-MARKOR-4410"


@dataclass
class World:
    child: Child
    old_school: Organisation
    new_school: Organisation
    other_school: Organisation
    social: Organisation
    rektor: Membership
    new_rektor: Membership
    new_teacher: Membership
    other_rektor: Membership
    social_worker: Membership

    def actor(self, membership) -> Actor:
        return actor_of(membership)


@pytest.fixture
def w() -> World:
    municipality = PrincipalFactory()
    old_school = OrganisationFactory(principal=municipality, org_type="skola")
    new_school = OrganisationFactory(principal=PrincipalFactory(), org_type="skola")
    other_school = OrganisationFactory(principal=municipality, org_type="skola")
    social = OrganisationFactory(principal=municipality, org_type="socialtjanst")
    child = ChildFactory(
        date_of_birth=timezone.localdate().replace(year=timezone.localdate().year - 11)
    )
    InvolvementFactory(child=child, organisation=old_school)
    Enrolment.objects.create(
        child=child,
        organisation=old_school,
        start_date=timezone.localdate() - datetime.timedelta(days=400),
    )
    InvolvementFactory(child=child, organisation=social, context=InvolvementContext.INVESTIGATION)
    return World(
        child=child,
        old_school=old_school,
        new_school=new_school,
        other_school=other_school,
        social=social,
        rektor=MembershipFactory(code="rektor", organisation=old_school),
        new_rektor=MembershipFactory(code="rektor", organisation=new_school),
        new_teacher=MembershipFactory(code="larare", organisation=new_school),
        other_rektor=MembershipFactory(code="rektor", organisation=other_school),
        social_worker=MembershipFactory(code="socialsekreterare", organisation=social),
    )


def _send(w: World, membership=None, *, to=None, kind="school_to_school", **overrides):
    actor = w.actor(membership or w.rektor)
    ground = overrides.pop("ground_code", "school_transition")
    conditions = catalogue.load().get(ground).conditions
    arguments = {
        "actor": actor,
        "child_view": people.child_get(actor, w.child.public_id),
        "to_organisation_id": (to or w.new_school).pk,
        "kind_code": kind,
        "ground_code": ground,
        "items": [services.Item("skolsituation", f"Läser med stöd av bildstöd. {SECRET}")],
        "confirmed": list(range(len(conditions))),
        "guardian_notice": "informed",
    }
    arguments.update(overrides)
    return services.handover_send(**arguments)


def _client(membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def _url(handover) -> str:
    return f"/overlamningar/{handover.public_id}/"


def test_the_receiver_reads_the_packet_and_each_item_is_a_disclosure_with_its_ground(w):
    handover = _send(w)
    assert handover.catalogue_version == catalogue.load().version
    page = _client(w.new_rektor).get(_url(handover))
    assert page.status_code == 200
    text = page.content.decode()
    assert SECRET in text
    assert "Överlämning när ett barn börjar i en ny skola" in text
    row = Disclosure.objects.get(child=w.child)
    assert (row.ground_code, row.ground_version) == (
        "school_transition",
        catalogue.load().version,
    )
    assert (row.from_organisation_id, row.to_organisation_id) == (
        w.old_school.pk,
        w.new_school.pk,
    )
    assert row.category.code == "skolsituation"
    read = AuditEvent.objects.filter(
        resource_type="handover.handoveritem", actor_organisation_id=w.new_school.pk
    ).get()
    assert read.ground_code == "school_transition"
    assert read.details["ground_version"] == catalogue.load().version


def test_who_must_not_see_the_packet_sees_nothing(w):
    handover = _send(w)
    for membership in (w.new_teacher, w.other_rektor, w.social_worker):
        response = _client(membership).get(_url(handover))
        assert response.status_code == 404, membership.function.code
        assert SECRET not in response.content.decode()
    assert not Disclosure.objects.exists()
    # Nor in their inboxes: the packet reaches the receiving school's rektor only.
    assert any(
        i.item.kind == "handover.sent" for i in notify.inbox_page(w.actor(w.new_rektor)).items
    )
    for membership in (w.new_teacher, w.other_rektor):
        assert not any(
            i.item.kind == "handover.sent" for i in notify.inbox_page(w.actor(membership)).items
        )


def test_health_does_not_travel_on_the_school_ground_but_does_on_a_consent(w):
    with pytest.raises(ValidationFailed, match="omfattar inte den kategorin") as refused:
        _send(w, items=[services.Item("halsa", HEALTH)], ground_code="school_transition")
    assert refused.value.field == "item_halsa"
    assert not Handover.objects.exists()
    # Without a consent, a packet on consent is refused for the category too.
    with pytest.raises(ValidationFailed, match="Samtycke saknas"):
        _send(w, items=[services.Item("halsa", HEALTH)], ground_code="consent")
    rektor = w.actor(w.rektor)
    for first in ("Sara", "Per"):
        people_services.guardian_add(
            actor=rektor,
            child=w.child,
            data=people_services.GuardianInput(
                first_name=first, last_name="Testsson", custody_type="gemensam"
            ),
        )
    consent = consent_services.consent_give(
        actor=rektor,
        child=w.child,
        party_ids=[w.old_school.pk, w.new_school.pk],
        category_codes=["halsa", "skolsituation"],
        purpose_codes=["allman_samverkan"],
        form="written",
        context="voluntary",
        child_views="Vill att nya skolan vet.",
        givers=[
            consent_services.GiverInput(kind="guardian", guardian_id=str(c.guardian.public_id))
            for c in people.system_custodies(w.child, w.old_school.pk)
        ],
    )
    handover = _send(
        w,
        items=[services.Item("halsa", HEALTH), services.Item("skolsituation", SECRET)],
        ground_code="consent",
        guardian_notice="",
    )
    assert handover.guardian_notice == "consent"
    text = _client(w.new_rektor).get(_url(handover)).content.decode()
    assert HEALTH in text and SECRET in text
    assert set(Disclosure.objects.values_list("ground_code", flat=True)) == {"consent"}
    # Revoked: nothing more passes, at once.
    consent_services.consent_revoke(actor=rektor, consent=consent, note="Ångrar sig.")
    response = _client(w.new_rektor).get(_url(handover))
    assert response.status_code == 404
    assert HEALTH not in response.content.decode()


def test_receipt_opens_the_receivers_matter_and_closes_the_senders(w):
    handover = _send(w)
    with pytest.raises(Exception, match="får inte ta emot"):
        services.handover_receive(actor=w.actor(w.new_teacher), public_id=handover.public_id)
    response = _client(w.new_rektor).post(_url(handover) + "kvittera/")
    assert response.status_code == 302
    handover.refresh_from_db()
    assert handover.status == Status.RECEIVED and handover.received_at is not None
    sender = Involvement.objects.get(child=w.child, organisation=w.old_school)
    assert sender.ended_at is not None
    assert f"Överlämnat till {w.new_school.name}" in sender.note
    receiver = Involvement.objects.get(child=w.child, organisation=w.new_school)
    assert receiver.ended_at is None and receiver.context == InvolvementContext.EDUCATION
    placements = {e.organisation_id: e.end_date for e in Enrolment.objects.filter(child=w.child)}
    assert placements[w.new_school.pk] is None and placements[w.old_school.pk] is not None
    # Social services' own matter is untouched.
    assert Involvement.objects.get(child=w.child, organisation=w.social).ended_at is None
    # After the receipt everyone at the new school with people.view sees the packet;
    # the sender still sees its own record and is told in its inbox.
    assert SECRET in _client(w.new_teacher).get(_url(handover)).content.decode()
    assert SECRET in _client(w.rektor).get(_url(handover)).content.decode()
    assert any(
        i.item.kind == "handover.received" for i in notify.inbox_page(w.actor(w.rektor)).items
    )
    audited = AuditEvent.objects.filter(
        resource_type="handover.handover", action="change", resource_id=str(handover.public_id)
    ).get()
    assert audited.ground_code == "school_transition"
    # Receiving twice changes nothing more.
    services.handover_receive(actor=w.actor(w.new_rektor), public_id=handover.public_id)
    assert Involvement.objects.filter(child=w.child, organisation=w.new_school).count() == 1


def test_sending_is_refused_without_conditions_matter_right_or_twice(w):
    with pytest.raises(ValidationFailed, match="Alla villkor"):
        _send(w, confirmed=[0])
    with pytest.raises(ValidationFailed, match="Vårdnadshavarna ska få veta"):
        _send(w, guardian_notice="withheld", guardian_notice_note="Vill inte.")
    with pytest.raises(ValidationFailed, match="går inte från din verksamhet"):
        _send(w, to=w.social)
    with pytest.raises(ValidationFailed, match="Skriv minst en uppgift"):
        _send(w, items=[services.Item("skolsituation", "   ")])
    # A teacher has no right to hand the matter over.
    InvolvementFactory(child=ChildFactory(), organisation=w.old_school)
    with pytest.raises(Exception, match="får inte lämna över"):
        _send(w, MembershipFactory(code="larare", organisation=w.old_school))
    # An organisation without its own matter cannot.
    with pytest.raises(Exception):  # noqa: B017 (NotFound or refusal: the child is not its)
        _send(w, w.other_rektor, to=w.new_school)
    _send(w)
    with pytest.raises(ValidationFailed, match="väntar redan på kvittens"):
        _send(w)
    assert Handover.objects.count() == 1
    assert (
        AuditEvent.objects.filter(resource_type="handover.handover", action="create").count() == 1
    )


def test_social_services_hands_over_to_another_municipality_and_may_withhold_notice(w):
    other_social = OrganisationFactory(principal=PrincipalFactory(), org_type="socialtjanst")
    receiver = MembershipFactory(code="socialsekreterare", organisation=other_social)
    with pytest.raises(ValidationFailed, match="Skriv varför"):
        _send(
            w,
            w.social_worker,
            to=other_social,
            kind="municipality_move",
            ground_code="social_services_move",
            items=[services.Item("social_situation", SECRET)],
            guardian_notice="withheld",
        )
    handover = _send(
        w,
        w.social_worker,
        to=other_social,
        kind="municipality_move",
        ground_code="social_services_move",
        items=[services.Item("social_situation", SECRET)],
        guardian_notice="withheld",
        guardian_notice_note="Misstanke om våld i hemmet.",
    )
    # The reason is the sender's: the receiver is not shown it.
    receiver_page = _client(receiver).get(_url(handover)).content.decode()
    assert SECRET in receiver_page
    assert "Misstanke om våld i hemmet." not in receiver_page
    assert (
        "Misstanke om våld i hemmet."
        in _client(w.social_worker).get(_url(handover)).content.decode()
    )
    # The school (not a party) sees nothing.
    assert _client(w.rektor).get(_url(handover)).status_code == 404
    services.handover_receive(actor=w.actor(receiver), public_id=handover.public_id)
    moved = Involvement.objects.get(child=w.child, organisation=other_social)
    assert moved.context == InvolvementContext.INVESTIGATION  # the matter's character carries
    assert Involvement.objects.get(child=w.child, organisation=w.social).ended_at is not None
    # The school's matter is untouched.
    assert Involvement.objects.get(child=w.child, organisation=w.old_school).ended_at is None


def test_the_pages_lead_through_and_keep_input(w):
    client = _client(w.rektor)
    base = f"/overlamningar/barn/{w.child.public_id}/ny/"
    first = client.get(base + f"?till={w.new_school.pk}")
    assert first.status_code == 200
    assert "Byte av skola" in first.content.decode()
    form_url = base + f"?till={w.new_school.pk}&slag=school_to_school&grund=school_transition"
    form = client.get(form_url).content.decode()
    assert "Följer inte med på den här grunden:" in form
    assert "Elevhälsans journaler" in form
    kept = client.post(form_url, {"item_skolsituation": SECRET, "guardian_notice": "informed"})
    assert kept.status_code == 200
    assert SECRET in kept.content.decode()  # kept, and the conditions are asked for
    assert not Handover.objects.exists()
    done = client.post(
        form_url,
        {"item_skolsituation": SECRET, "guardian_notice": "informed", "conditions": ["0", "1"]},
    )
    assert done.status_code == 302
    assert Handover.objects.get().to_organisation_id == w.new_school.pk
    panel = client.get(f"/overlamningar/barn/{w.child.public_id}/?fragment=1").content.decode()
    assert "väntar på kvittens" in panel
    # Another school's rektor (no matter with the child) is not offered the page.
    assert _client(w.other_rektor).get(base).status_code == 404


def test_the_receiver_refuses_with_a_reason_and_the_sender_keeps_its_matter(w):
    handover = _send(w)
    url = _url(handover) + "avvisa/"
    # A teacher at the receiving school cannot refuse (nor read) it.
    assert _client(w.new_teacher).post(url, {"reason": "Fel skola."}).status_code == 404
    # Without a reason: shown again (422), the field named in Swedish, nothing changed.
    empty = _client(w.new_rektor).post(url, {"reason": "   "})
    assert empty.status_code == 422
    assert "Skriv varför överlämningen avvisas" in empty.content.decode()
    too_long = "x" * 5000 + "BEHALLEN-TEXT"
    long = _client(w.new_rektor).post(url, {"reason": too_long})
    assert long.status_code == 422 and "BEHALLEN-TEXT" in long.content.decode()
    handover.refresh_from_db()
    assert handover.status == Status.SENT
    done = _client(w.new_rektor).post(url, {"reason": "Barnet börjar inte hos oss."})
    assert done.status_code == 302
    handover.refresh_from_db()
    assert handover.status == Status.REFUSED and handover.refused_at is not None
    assert handover.refusal_reason == "Barnet börjar inte hos oss."
    # The sender's matter is not closed, the receiver opened none.
    assert Involvement.objects.get(child=w.child, organisation=w.old_school).ended_at is None
    assert not Involvement.objects.filter(child=w.child, organisation=w.new_school).exists()
    # Audited, with the receiver's own ground.
    audited = AuditEvent.objects.get(
        resource_type="handover.handover", action="change", resource_id=str(handover.public_id)
    )
    assert audited.ground_code == "handover_receiver"
    assert audited.actor_organisation_id == w.new_school.pk
    # The sender is told in the inbox and reads the reason; the receiver no longer sees
    # the packet and its inbox item is done.
    told = [
        i for i in notify.inbox_page(w.actor(w.rektor)).items if i.item.kind == "handover.refused"
    ]
    assert len(told) == 1 and "har avvisat överlämningen" in str(told[0].shown.title)
    sender_page = _client(w.rektor).get(_url(handover)).content.decode()
    assert "Barnet börjar inte hos oss." in sender_page and "fortfarande öppet" in sender_page
    gone = _client(w.new_rektor).get(_url(handover))
    assert gone.status_code == 404 and SECRET not in gone.content.decode()
    assert not any(
        i.item.kind == "handover.sent" for i in notify.inbox_page(w.actor(w.new_rektor)).items
    )
    # A refused packet cannot be received, and the sender may send again.
    with pytest.raises(Exception):  # noqa: B017 (refused: no longer the receiver's)
        services.handover_receive(actor=w.actor(w.new_rektor), public_id=handover.public_id)
    again = _send(w)
    assert again.pk != handover.pk and again.status == Status.SENT


def test_a_received_packet_cannot_be_refused(w):
    handover = _send(w)
    services.handover_receive(actor=w.actor(w.new_rektor), public_id=handover.public_id)
    with pytest.raises(ValidationFailed, match="redan kvitterad"):
        services.handover_refuse(
            actor=w.actor(w.new_rektor), public_id=handover.public_id, reason="Fel."
        )
