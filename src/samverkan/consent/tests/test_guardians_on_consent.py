"""Each organisation keeps its own record of the guardians, so a consent registered by
an organisation that has recorded none "kan inte prövas". The consent form then takes
the givers' identities (pre-filled from the population register where one is set up),
records them in the organisation's own register, and the consent can be tested."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samverkan.consent import selectors, services
from samverkan.consent.models import Consent
from samverkan.demo.world import fictional_number
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PrincipalFactory,
    actor_of,
)
from samverkan.people import selectors as people_selectors
from samverkan.people import services as people_services
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory

pytestmark = pytest.mark.django_db


def _adult(serial):
    return fictional_number(timezone.localdate() - datetime.timedelta(days=40 * 366), serial)


class _World:
    """Social services gives a nine-year-old's family voluntary support; the school
    knows the child and has recorded the parents, social services has not."""

    def __init__(self):
        principal = PrincipalFactory()
        self.school = OrganisationFactory(principal=principal, org_type="skola")
        self.social = OrganisationFactory(principal=principal, org_type="socialtjanst")
        self.rektor = MembershipFactory(code="rektor", organisation=self.school)
        self.worker = MembershipFactory(code="socialsekreterare", organisation=self.social)
        today = timezone.localdate()
        self.child = ChildFactory(date_of_birth=today.replace(year=today.year - 9))
        InvolvementFactory(child=self.child, organisation=self.school)
        InvolvementFactory(child=self.child, organisation=self.social, context="voluntary_support")
        self.parents = [("Anna", "Lund", _adult(811)), ("Olle", "Lund", _adult(822))]
        for first, last, number in self.parents:
            people_services.guardian_add(
                actor=actor_of(self.rektor),
                child=self.child,
                data=people_services.GuardianInput(
                    first_name=first,
                    last_name=last,
                    personal_number=number,
                    custody_type="gemensam",
                ),
            )

    def form(self, **extra) -> dict:
        data = {
            "parties": [self.school.pk],
            "categories": ["social_situation", "insatser"],
            "purposes": ["samverkanstraff"],
            "form": "written",
            "context": "voluntary",
            "vh-TOTAL_FORMS": 2,
            "vh-INITIAL_FORMS": 0,
            "vh-MIN_NUM_FORMS": 0,
            "vh-MAX_NUM_FORMS": 2,
        }
        data.update(extra)
        return data


def test_a_consent_without_the_organisations_own_guardians_cannot_be_tested():
    world = _World()
    consent = services.consent_give(
        actor=actor_of(world.worker),
        child=world.child,
        party_ids=[world.school.pk],
        category_codes=["insatser"],
        purpose_codes=["samverkanstraff"],
        form="written",
        context="voluntary",
    )
    view = selectors.consent_get(actor_of(world.worker), consent.public_id)
    assert not view.coverage.covers and "kan inte prövas" in view.coverage.full_account


def test_the_consent_form_records_the_givers_and_the_consent_then_covers():
    world = _World()
    client = Client()
    client.force_login(world.worker.user)
    url = reverse("consent:give", args=[world.child.public_id])
    page = client.get(url)
    assert "Vårdnadshavare som samtycker" in page.text
    (a_first, a_last, a_number), (o_first, o_last, o_number) = world.parents
    response = client.post(
        url,
        world.form(
            **{
                "vh-0-first_name": a_first,
                "vh-0-last_name": a_last,
                "vh-0-personal_number": f"{a_number[:8]}-{a_number[8:]}",
                "vh-0-custody_type": "gemensam",
                "vh-0-consented": "on",
                "vh-1-first_name": o_first,
                "vh-1-last_name": o_last,
                "vh-1-personal_number": o_number,
                "vh-1-custody_type": "gemensam",
                "vh-1-consented": "on",
            }
        ),
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    consent = Consent.objects.get(child=world.child, registered_by_organisation=world.social)
    view = selectors.consent_get(actor_of(world.worker), consent.public_id)
    assert view.coverage.covers, view.coverage.full_account
    recorded = people_selectors.system_custodies(world.child, world.social.pk)
    assert sorted(c.guardian.personal_number for c in recorded) == sorted([a_number, o_number])
    assert {g.name for g in consent.givers.all()} == {"Anna Lund", "Olle Lund"}
    # The form no longer asks: social services has its own record now.
    assert "Vårdnadshavare som samtycker" not in client.get(url).text


def test_a_malformed_number_on_the_form_is_refused_and_nothing_is_recorded():
    world = _World()
    client = Client()
    client.force_login(world.worker.user)
    response = client.post(
        reverse("consent:give", args=[world.child.public_id]),
        world.form(
            **{
                "vh-0-first_name": "Anna",
                "vh-0-last_name": "Lund",
                "vh-0-personal_number": "abc",
                "vh-0-custody_type": "gemensam",
            }
        ),
    )
    assert response.status_code == 200
    assert "10 eller 12 siffror" in response.text
    assert not people_selectors.system_custodies(world.child, world.social.pk)
    assert not Consent.objects.filter(child=world.child).exists()


def test_the_form_is_prefilled_from_the_population_register(tmp_path, settings):
    world = _World()
    path = tmp_path / "register.json"
    path.write_text(
        json.dumps(
            {
                "persons": [
                    {
                        "personal_number": world.child.personal_number,
                        "first_name": world.child.first_name,
                        "last_name": world.child.last_name,
                        "guardians": [
                            {"personal_number": n, "first_name": f, "last_name": last}
                            for f, last, n in world.parents
                        ],
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    settings.SAMVERKAN = {**settings.SAMVERKAN, "POPULATION_REGISTER": f"file:{path}"}
    client = Client()
    client.force_login(world.worker.user)
    url = reverse("consent:give", args=[world.child.public_id])
    page = client.get(url)
    formset = page.context["guardians"]
    assert [f.initial["first_name"] for f in formset] == ["Anna", "Olle"]
    assert "kommer från folkbokföringen" in page.text
    data = world.form(**{"vh-INITIAL_FORMS": 2})
    for i, (first, last, number) in enumerate(world.parents):
        data.update(
            {
                f"vh-{i}-first_name": first,
                f"vh-{i}-last_name": last,
                f"vh-{i}-personal_number": number,
                f"vh-{i}-custody_type": "gemensam",
                f"vh-{i}-consented": "on",
            }
        )
    assert client.post(url, data).status_code == 302
    recorded = people_selectors.system_custodies(world.child, world.social.pk)
    assert {c.source for c in recorded} == {"population_register"}
