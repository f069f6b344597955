"""Twenty identical creations at once about a child's people, consents and plans (issue
13, "Done when"): a three-party meeting on a report, the guardians from the population
register, a guardian replaced, a foreign eID linked, an enrolment, a recorded judgement
("Kan jag lämna ut det här?"), a signature on a consent by staff and in the family
portal, another plan, a SIP's preparation, a contact function's new holder and a
retention hold. Each page is opened as its user would open it and its form filled from
what the page shows (``_race_form``, ``_race_like_one``), twenty times at once with one
key: one record (or one effect), no 5xx, and the calls overlapped (``race``).

What a person does once by nature (a signature per giver, the register's guardians, a
link of one eID, an enrolment at one school, a holder of a contact function) is also
sent with twenty different keys (two tabs, a retry after a reload): still one, no 5xx.

``test_every_create_route.py`` holds the checklist of every creation and its race.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samverkan.web.tests.formfuzz import plausible_data

from .test_concurrent_creation import _twenty_keys
from .test_concurrent_forms import _form, _race_form, _school_child, _session
from .test_concurrent_later_states import _established_sip, _handled_report
from .test_concurrent_more_forms import _family_consent, _guardians, _race_like_one, _ticked

pytestmark = pytest.mark.usefixtures("concurrent_db")


def _no_5xx(statuses) -> None:
    assert all(isinstance(s, int) and s < 500 for s in statuses), statuses
    assert 302 in statuses, statuses


# A report's three-party meeting: it needs the family's consent for the purpose.


def test_twenty_identical_meetings_with_the_family_make_one(race):
    from samverkan.concerns.models import Meeting
    from samverkan.directory.tests.factories import MembershipFactory, actor_of

    world, report, handler = _handled_report()
    child = report.child
    kurator = actor_of(MembershipFactory(code="kurator", organisation=world.school))
    _guardians(kurator, child)
    _family_consent(  # the school records the family's consent
        kurator,
        child,
        [world.social.pk],
        category_codes=["social_situation"],
        purpose_codes=["trepartssamtal"],
        context="report_investigation",
        child_views="Vill att vi träffas allihop.",
    )
    client = _session(handler)
    page = f"/anmalan/{report.public_id}/"
    start = (timezone.localtime() + datetime.timedelta(days=5)).replace(hour=10, minute=0)
    values = {
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Skolans konferensrum",
    }
    statuses = _race_form(race, client, page, f"{page}mote/", **values)
    assert set(statuses) == {302}, statuses
    assert Meeting.objects.filter(report=report).count() == 1


# A child's guardians in the organisation's own record, and the school's enrolment.


@pytest.fixture
def register(settings, tmp_path):
    """A population register (a file, as in the tests of the register) that names two
    guardians for a new child in a school."""
    import json

    from samverkan.demo.world import fictional_number
    from samverkan.people.tests.factories import FACTORY_SERIAL

    _, kurator, child = _school_child()
    adults = [
        {"personal_number": fictional_number(datetime.date(1985, 3, d), FACTORY_SERIAL + d)}
        | {"first_name": first, "last_name": "Folkbokförd"}
        for d, first in ((4, "Maja"), (5, "Jonas"))
    ]
    person = {
        "personal_number": child.personal_number,
        "first_name": child.first_name,
        "last_name": child.last_name,
        "guardians": adults,
    }
    path = tmp_path / "folkbokforing.json"
    path.write_text(json.dumps({"persons": [person]}), encoding="utf-8")
    settings.SAMVERKAN = {**settings.SAMVERKAN, "POPULATION_REGISTER": f"file:{path}"}
    return kurator, child


@pytest.mark.parametrize("keys", ["one", "twenty"])
def test_twenty_fetches_of_the_guardians_from_the_register_record_them_once(race, register, keys):
    from samverkan.people.models import Custody

    kurator, child = register
    client = _session(kurator)
    page = f"/barn/{child.public_id}/"
    action = f"{page}vardnadshavare/folkbokforing/"
    if keys == "one":
        statuses = _race_form(race, client, page, action)
        assert set(statuses) == {302}, statuses
    else:
        data = plausible_data(_form(client, page, action, None))
        _no_5xx(_twenty_keys(race, client, action, data))
    custodies = Custody.objects.filter(child=child, source="population_register")
    assert sorted(c.guardian.first_name for c in custodies) == ["Jonas", "Maja"]


def _guardian_page(kurator, child):
    from samverkan.directory.tests.factories import actor_of
    from samverkan.people import selectors as people

    _guardians(actor_of(kurator), child, names=("Sara",))
    (custody,) = people.system_custodies(child, kurator.organisation_id)
    guardian = custody.guardian
    page = f"/barn/{child.public_id}/formular/vardnadshavare/{guardian.public_id}/"
    return guardian, page, f"/barn/{child.public_id}/vardnadshavare/{guardian.public_id}/"


def test_twenty_identical_replacements_of_a_guardian_make_one(race):
    from samverkan.people.forms import guardian_prefix
    from samverkan.people.models import Custody

    _, kurator, child = _school_child()
    guardian, page, base = _guardian_page(kurator, child)
    prefix = guardian_prefix(guardian.public_id, "ersatt")
    values = {
        f"{prefix}-first_name": "Karin",
        f"{prefix}-last_name": "Ersättare",
        f"{prefix}-reason": "Fel person var registrerad.",
    }
    statuses = _race_form(race, _session(kurator), page, f"{base}ersatt/", **values)
    assert set(statuses) == {302}, statuses
    current = Custody.objects.filter(child=child, ended_at__isnull=True)
    assert [c.guardian.first_name for c in current] == ["Karin"]
    assert Custody.objects.filter(child=child).count() == 2  # Sara's, ended, and Karin's


@pytest.mark.parametrize("keys", ["one", "twenty"])
def test_twenty_identical_links_of_a_foreign_eid_make_one(race, settings, keys):
    from samverkan.people.forms import guardian_prefix
    from samverkan.people.models import GuardianEidasLink

    portal = settings.SAMVERKAN_PORTAL_OIDC
    settings.SAMVERKAN_PORTAL_OIDC = {**portal, "ISSUER": "https://eid.example.test"}
    _, kurator, child = _school_child()
    guardian, page, base = _guardian_page(kurator, child)
    client = _session(kurator)
    prefix = guardian_prefix(guardian.public_id, "eidas")
    form = _form(client, page, f"{base}eidas/", None)
    values = {f"{prefix}-identifier": f"DE:samma{keys}", f"{prefix}-checked_how": ""}
    values[f"{prefix}-checked_how"] = _ticked(form, f"{prefix}-checked_how")
    if keys == "one":
        statuses = _race_form(race, client, page, f"{base}eidas/", **values)
        assert set(statuses) == {302}, statuses
    else:
        data = {**plausible_data(form), **values}
        _no_5xx(_twenty_keys(race, client, f"{base}eidas/", data))
    assert GuardianEidasLink.objects.filter(guardian=guardian).count() == 1


@pytest.mark.parametrize("keys", ["one", "twenty"])
def test_twenty_identical_enrolments_make_one(race, keys):
    from samverkan.people.models import Enrolment

    school, kurator, child = _school_child()
    client = _session(kurator)
    page = f"/barn/{child.public_id}/formular/inskrivning/"
    action = f"/barn/{child.public_id}/inskrivning/"
    values = {"school_year": "4", "class_name": "4B"}
    if keys == "one":
        statuses = _race_form(race, client, page, action, **values)
        assert set(statuses) == {302}, statuses
    else:
        data = {**plausible_data(_form(client, page, action, None)), **values}
        _no_5xx(_twenty_keys(race, client, action, data))
    assert Enrolment.objects.filter(child=child, organisation=school).count() == 1


# A recorded judgement on "Kan jag lämna ut det här?": the general clause's balancing.


def test_twenty_identical_judgements_make_one(race):
    from samverkan.directory.tests.factories import (
        MembershipFactory,
        OrganisationFactory,
        PrincipalFactory,
    )
    from samverkan.legal.models import DisclosureDecision
    from samverkan.people.tests.factories import ChildFactory, InvolvementFactory

    social = OrganisationFactory(org_type="socialtjanst")
    police = OrganisationFactory(principal=PrincipalFactory(kind="stat"), org_type="polis")
    child = ChildFactory()
    InvolvementFactory(child=child, organisation=social, context="investigation")
    client = _session(MembershipFactory(code="socialsekreterare", organisation=social))
    query = f"?to_organisation={police.pk}&category=social_situation&grund=general_clause"
    page = f"/samtycken/barn/{child.public_id}/kan-jag-lamna-ut/{query}"
    form = _form(client, page, page, "motivation")
    values = {
        "conditions": [f.option for f in form.fields if f.name == "conditions"],
        "what": "Att den unge har fått hot.",
        "recipient_need": "Polisen utreder hotet.",
        "secrecy_interest": "Familjens förtroende.",
        "outcome": "disclose",
        "motivation": "Hotet är allvarligt.",
    }
    statuses = _race_form(race, client, page, page, having="motivation", **values)
    assert set(statuses) == {302}, statuses
    assert DisclosureDecision.objects.filter(child=child).count() == 1


# Signatures on a prepared consent: by staff (who signed, when, how), and by a guardian
# in the family portal. One signature per giver, one "signed" event.


@pytest.mark.parametrize("keys", ["one", "twenty"])
def test_twenty_identical_signatures_by_staff_make_one_per_giver(race, keys):
    from samverkan.consent import services as consent_services
    from samverkan.consent.models import ConsentEvent, ConsentGiver
    from samverkan.directory.tests.factories import OrganisationFactory, actor_of

    school, kurator, child = _school_child()
    bup = OrganisationFactory(org_type="bup", principal=school.principal)
    _guardians(actor_of(kurator), child)
    consent = consent_services.consent_give(  # prepared: printed, signed on paper
        actor=actor_of(kurator),
        child=child,
        party_ids=[bup.pk],
        category_codes=["insatser"],
        purpose_codes=["sip"],
        form="written",
        context="voluntary",
        child_views="Vill att skolan och BUP pratar med varandra.",
    )
    client = _session(kurator)
    page = f"/samtycken/{consent.public_id}/"
    action = f"{page}underskrift/"
    form = _form(client, page, action, None)
    values = {"givers": _ticked(form, "givers"), "given_on": timezone.localdate().isoformat()}
    if keys == "one":
        statuses = _race_form(race, client, page, action, **values)
    else:
        statuses = _twenty_keys(race, client, action, {**plausible_data(form), **values})
    assert set(statuses) == {302}, statuses  # the page again, with a message
    assert ConsentGiver.objects.filter(consent=consent).count() == 1
    assert ConsentEvent.objects.filter(consent=consent, kind="signed").count() == 1


_FAMILY: list = []


def _family(make):
    """One family for both portal tests (its child's personnummer is fixed): the
    clone's data is committed and lives for the session."""
    if not _FAMILY:
        _FAMILY.append(make())
    return _FAMILY[0]


@pytest.mark.parametrize("keys", ["one", "twenty"])
def test_twenty_identical_signatures_in_the_portal_make_one(race, keys):
    from samverkan.consent.models import ConsentGiver
    from samverkan.portal.models import SigningAct
    from samverkan.portal.tests.conftest import make_family, portal_client, sign_form

    family = _family(make_family)
    account = family.accounts[0 if keys == "one" else 1]  # each guardian signs once
    client = portal_client(account)
    client.raise_request_exception = False
    page = f"/familj/samtycke/{family.consent.public_id}/"
    action = f"{page}skriv-under/"
    if keys == "one":
        statuses = _race_form(race, client, page, action, **sign_form(client, family.consent))
        assert set(statuses) == {302}, statuses
    else:
        _no_5xx(_twenty_keys(race, client, action, sign_form(client, family.consent)))
    guardian = family.guardians[family.accounts.index(account)]
    assert ConsentGiver.objects.filter(consent=family.consent, guardian=guardian).count() == 1
    assert SigningAct.objects.filter(kind="sign", account=account).count() == 1


# Plans: another plan the school has for the child, a SIP's preparation (an edit of the
# plan: one change, one audit row).


def test_twenty_identical_other_plans_make_one(race):
    from samverkan.plans.models import OtherPlan

    _, kurator, child = _school_child()
    client = _session(kurator)
    page = f"/sip/barn/{child.public_id}/"
    values = {"purpose": "Åtgärdsprogram för läsning."}
    statuses = _race_form(
        race, client, page, f"/sip/barn/{child.public_id}/andra-planer/", **values
    )
    assert set(statuses) == {302}, statuses
    assert OtherPlan.objects.filter(child=child).count() == 1


def test_twenty_identical_preparations_of_a_sip_change_it_once(race):
    world, _, _ = _established_sip()
    client = _session(world.holder)
    page = f"/sip/{world.plan.public_id}/forberedelse/"
    values = {"important_to_child": "Att få vara med.", "important_to_guardians": "Lugn."}
    made = _race_like_one(race, client, page, page, **values)
    assert set(made) == {"audit.AuditEvent"}, made  # no record made: a change, audited


# The directory: a contact function's new holder; the administration's retention hold.


@pytest.mark.parametrize("keys", ["one", "twenty"])
def test_twenty_identical_new_holders_of_a_contact_function_make_one(race, keys):
    from samverkan.directory import services as directory_services
    from samverkan.directory.models import ContactFunction, ContactFunctionAssignment
    from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory

    social = OrganisationFactory(org_type="socialtjanst")
    school = OrganisationFactory(org_type="skola", principal=social.principal)
    sofia, olof = (MembershipFactory(code="socialsekreterare", organisation=social) for _ in "ab")
    cf = ContactFunction.objects.create(
        served_organisation=school, provider_organisation=social, title="Kontaktsocialsekreterare"
    )
    directory_services.contact_function_assign(actor=None, contact_function=cf, membership=sofia)
    client = _session(MembershipFactory(code="administrator", organisation=social))
    page = f"/katalog/kontaktfunktion/{cf.public_id}/"
    if keys == "one":
        statuses = _race_form(race, client, page, page, membership=str(olof.pk))
        assert set(statuses) == {302}, statuses
    else:
        data = {**plausible_data(_form(client, page, page, None)), "membership": str(olof.pk)}
        _no_5xx(_twenty_keys(race, client, page, data))
    held = ContactFunctionAssignment.objects.filter(contact_function=cf)
    assert [(a.membership_id, a.ended_at is None) for a in held.order_by("started_at")] == [
        (sofia.pk, False),
        (olof.pk, True),
    ]


@pytest.mark.parametrize("keys", ["one", "twenty"])
def test_twenty_identical_retention_holds_make_one(race, keys):
    from samverkan.retention.models import LegalHold

    from .test_concurrent_more_forms import _admin

    client = _admin()
    page = "/administration/gallring/"
    form = _form(client, page, page, "record_type")
    kinds = next(f.options for f in form.fields if f.name == "record_type")
    record_type = kinds[-1] if keys == "one" else kinds[-2]  # a hold of its own
    values = {"record_type": record_type, "reason": "Tillsyn av IVO.", "reference": "IVO 1-2"}
    if keys == "one":
        statuses = _race_form(race, client, page, page, having="record_type", **values)
        assert set(statuses) == {302}, statuses
    else:
        _no_5xx(_twenty_keys(race, client, page, {**plausible_data(form), **values}))
    assert LegalHold.objects.filter(record_type=record_type, released_at=None).count() == 1
