"""SIP calls and follow-ups in the inbox: who receives them, who must not, and that an
item is re-checked when it is read (a revoked consent empties it)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.notify import selectors, services
from samverkan.notify.models import InboxItem
from samverkan.plans import services as plans

pytestmark = pytest.mark.django_db


def _titles(world, username) -> list[str]:
    return [row.shown.title for row in selectors.inbox_page(world.actor(username))]


@pytest.fixture
def revoke(world):
    from samverkan.consent import services as consent
    from samverkan.consent.models import Consent

    def _revoke():
        consent.consent_revoke(
            actor=world.actor("karin"),
            consent=Consent.objects.get(child=world.children["melwin"]),
            note="Föräldrarna ångrade sig.",
        )

    return _revoke


@pytest.fixture
def call(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return plans.plan_start(
            actor=world.actor("karin"),
            child=world.children["melwin"],
            called_organisation_ids=[
                world.organisations["BUP"].pk,
                world.organisations["Socialtjänsten barn och familj"].pk,
            ],
            purpose="Samordna stödet",
            question="Vad behöver Melwin?",
        )


def test_a_sip_call_reaches_the_called_organisations_only(world, call):
    child = world.children["melwin"]
    expected = f"Kallelse till SIP för {child.full_name} från Elevhälsan Frejaskolan"
    # BUP has no contact function for Elevhälsan: its doctors take calls (data file).
    assert expected in _titles(world, "lena")
    # Social services has: the contact social worker for Elevhälsan (sofia) gets it, not
    # her colleagues, not the intake (the function, not the person, is addressed).
    assert expected in _titles(world, "sofia")
    for username in ("olof", "maria", "erik", "karin", "viktor", "frida", "gustav"):
        assert expected not in _titles(world, username), username
    assert selectors.open_count(world.actor("lena")) >= 1


def test_the_call_stays_with_the_contact_function_when_staff_change(world, call):
    from samverkan.directory import services as directory
    from samverkan.directory.models import ContactFunction

    cf = ContactFunction.objects.get(
        served_organisation=world.organisations["Elevhälsan Frejaskolan"],
        provider_organisation=world.organisations["Socialtjänsten barn och familj"],
    )
    directory.contact_function_assign(
        actor=None, contact_function=cf, membership=world.memberships["olof"]
    )
    child = world.children["melwin"]
    expected = f"Kallelse till SIP för {child.full_name} från Elevhälsan Frejaskolan"
    assert expected in _titles(world, "olof")
    assert expected not in _titles(world, "sofia")


def test_acknowledging_from_the_inbox_closes_the_item_for_that_organisation(world, call, login):
    response = login("lena").post(
        f"/sip/{call.public_id}/bekrafta/", {"next": "inbox", "unit": "", "note": ""}
    )
    assert response.status_code == 302 and response["Location"] == "/inkorg/"
    items = InboxItem.objects.filter(
        kind="plans.call", ref_id=str(call.public_id), organisation=world.organisations["BUP"]
    )
    assert items and all(item.done_at is not None for item in items)
    assert not [t for t in _titles(world, "lena") if "Kallelse" in t]
    # Social services has not acknowledged: still there.
    assert [t for t in _titles(world, "sofia") if "Kallelse" in t]


def test_a_revoked_consent_empties_the_item(world, call, revoke):
    before = selectors.open_count(world.actor("sofia"))
    melwin = world.children["melwin"].full_name
    about_melwin = [t for t in _titles(world, "sofia") if melwin in t]
    assert [t for t in about_melwin if t.startswith("Kallelse till SIP för")]
    revoke()
    assert not [t for t in _titles(world, "sofia") if melwin in t]
    assert selectors.open_count(world.actor("sofia")) == before - len(about_melwin)
    # The item stores no text: nothing of the child is in the row.
    item = InboxItem.objects.filter(kind="plans.call", ref_id=str(call.public_id)).first()
    child = world.children["melwin"]
    row = " ".join(str(v) for v in InboxItem.objects.filter(pk=item.pk).values().first().values())
    assert child.first_name not in row and child.personal_number not in row


def test_the_inbox_page_lists_marks_done_and_audits(world, call, login):
    client = login("sofia")
    page = client.get("/inkorg/")
    assert page.status_code == 200
    assert "Kallelse till SIP" in page.text and "Markera som klar" in page.text
    row = AuditEvent.objects.filter(resource_type="notify.inboxitem").latest("id")
    assert row.actor_username == "sofia"
    assert str(world.children["melwin"].public_id) in row.details["subjects"]
    item = InboxItem.objects.get(
        kind="plans.call", ref_id=str(call.public_id), address__startswith="c:"
    )
    assert client.post(f"/inkorg/{item.public_id}/klar/").status_code == 302
    item.refresh_from_db()
    assert item.done_at is not None
    call_title = "Kallelse till SIP för Melwin Andersson från"
    assert call_title not in client.get("/inkorg/").text
    assert call_title in client.get("/inkorg/?visa=klara").text
    # Someone it was not addressed to cannot mark it done.
    other = InboxItem.objects.get(
        kind="plans.call", ref_id=str(call.public_id), address__endswith=":lakare"
    )
    assert login("olof").post(f"/inkorg/{other.public_id}/klar/").status_code == 302
    other.refresh_from_db()
    assert other.done_at is None


def test_the_header_count_fragment(world, call, login):
    response = login("lena").get("/inkorg/antal/")
    assert response.status_code == 200
    assert "händelse" in response.text
    assert 'class="inbox-count has-items"' in response.text
    assert 'class="inbox-count"' in login("viktor").get("/inkorg/antal/").text


def test_a_follow_up_reaches_the_coordinator_only(world):
    from samverkan.plans.models import Plan

    plan = Plan.objects.select_related("child").get(child=world.children["melwin"])
    Plan.objects.filter(pk=plan.pk).update(
        follow_up_on=timezone.localdate() + datetime.timedelta(days=2)
    )
    plans.plans_sweep()
    plan.refresh_from_db()
    coordinator = next(u for u, user in world.users.items() if user.pk == plan.coordinator_id)
    assert any("Uppföljning av SIP" in t for t in _titles(world, coordinator))
    for username in {"karin", "lena", "sofia", "olof", "viktor"} - {coordinator}:
        assert not any("Uppföljning av SIP" in t for t in _titles(world, username)), username
    assert services.inbox_close(kind="plans.follow_up", ref_id=str(plan.public_id)) == 1


def test_a_call_passed_to_a_unit_reaches_that_units_staff_only(world, call):
    from samverkan.directory.tests.factories import MembershipFactory, UnitFactory, actor_of

    bup = world.organisations["BUP"]
    unit = UnitFactory(organisation=bup, name="Öppenvården")
    in_unit = MembershipFactory(code="psykolog", organisation=bup, unit=unit)
    elsewhere = MembershipFactory(code="psykolog", organisation=bup)
    plans.plan_acknowledge(actor=world.actor("lena"), plan=call, unit_id=unit.pk)
    passed = ("plans.passed", str(call.public_id))

    def got(actor) -> bool:
        return passed in {(r.item.kind, r.item.ref_id) for r in selectors.inbox_page(actor)}

    assert got(actor_of(in_unit))
    assert not got(actor_of(elsewhere))
    for username in ("lena", "karin", "sofia", "olof"):
        assert not got(world.actor(username)), username


def test_an_effort_reaches_the_responsible_organisation_not_the_one_that_wrote_it(world, call):
    melwin = world.children["melwin"]
    plans.plan_save(
        actor=world.actor("karin"),
        plan=call,
        expected_version=call.version,
        needs=["Sova bättre"],
        long_term_goal="Orka skoldagen",
        short_term_goals=["Tre förmiddagar i veckan"],
        efforts=[
            plans.EffortInput(
                title="Utredning av sömnen",
                organisation_id=world.organisations["BUP"].pk,
                responsible="Läkare på BUP",
            )
        ],
        responsible_organisation_id=world.organisations["BUP"].pk,
        coordinator_user_id=world.users["karin"].pk,
        follow_up_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    expected = (
        f"Insats som din verksamhet ansvarar för: Utredning av sömnen (SIP för {melwin.full_name})"
    )
    assert expected in _titles(world, "lena")  # BUP's doctors take SIP calls (data file)
    for username in ("karin", "sofia", "olof", "viktor"):
        assert expected not in _titles(world, username), username
