"""Disclosures recorded before the catalogue was versioned get the version in force on
their day (consent migration 0006), from the versions stored in the database; where
none can be determined the field stays empty and the consent's page says "okänd"
rather than showing a blank."""

from __future__ import annotations

import copy
import datetime
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils import timezone

from samverkan.consent import services as consent_services
from samverkan.consent.models import Disclosure, InformationCategory
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    actor_of,
)
from samverkan.legal import catalogue
from samverkan.legal.models import CatalogueVersion
from samverkan.people import selectors as people
from samverkan.people import services as people_services
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("samverkan.consent.migrations.0006_backfill_ground_version")


class _Editor:
    connection = connection


def _store(version: str, adopted_on: str, codes: set[str]) -> None:
    data = copy.deepcopy(catalogue.read_file())
    data["version"], data["adopted_on"] = version, adopted_on
    data["grounds"] = [g for g in data["grounds"] if g["code"] in codes]
    CatalogueVersion.objects.create(
        version=version,
        adopted_on=datetime.date.fromisoformat(adopted_on),
        digest=catalogue.digest(data),
        data=data,
    )


@pytest.fixture
def world():
    school = OrganisationFactory(org_type="skola")
    other = OrganisationFactory(org_type="skola")
    rektor = MembershipFactory(code="rektor", organisation=school)
    child = ChildFactory(
        date_of_birth=timezone.localdate().replace(year=timezone.localdate().year - 8)
    )
    InvolvementFactory(child=child, organisation=school)
    actor = actor_of(rektor)
    people_services.guardian_add(
        actor=actor,
        child=child,
        data=people_services.GuardianInput(
            first_name="Sara", last_name="Testsson", custody_type="ensam"
        ),
    )
    consent = consent_services.consent_give(
        actor=actor,
        child=child,
        party_ids=[school.pk, other.pk],
        category_codes=["skolsituation"],
        purpose_codes=["allman_samverkan"],
        form="written",
        context="voluntary",
        givers=[
            consent_services.GiverInput(kind="guardian", guardian_id=str(c.guardian.public_id))
            for c in people.system_custodies(child, school.pk)
        ],
    )
    return school, other, rektor, child, consent


def _disclosure(world, day: str, code: str = "consent", version: str = "") -> Disclosure:
    school, other, _rektor, child, consent = world
    at = timezone.make_aware(datetime.datetime.fromisoformat(f"{day} 23:30"))
    return Disclosure.objects.create(
        child=child,
        consent=consent if code == "consent" else None,
        ground_code=code,
        ground_label=code,
        ground_version=version,
        from_organisation=school,
        to_organisation=other,
        category=InformationCategory.objects.get(code="skolsituation"),
        what=f"Uppgift {day}",
        occurred_at=at,
        actor_name="Test",
    )


def test_each_disclosure_gets_the_version_in_force_on_its_day_or_stays_unknown(world):
    CatalogueVersion.objects.all().delete()
    _store("2025-01", "2025-01-01", {"consent", "duty_to_report"})
    _store("2026-06", "2026-06-01", {"consent"})
    before_any = _disclosure(world, "2024-12-31")
    first = _disclosure(world, "2025-03-01")
    # 23:30 local time on the eve of the second version: still the first.
    eve = _disclosure(world, "2026-05-31")
    second = _disclosure(world, "2026-07-01")
    dropped = _disclosure(world, "2026-07-01", code="duty_to_report")
    kept = _disclosure(world, "2026-07-01", version="given-at-the-time")

    migration.backfill(apps, _Editor())

    def version(row):
        row.refresh_from_db()
        return row.ground_version

    assert version(before_any) == ""
    assert version(first) == "2025-01"
    assert version(eve) == "2025-01"
    assert version(second) == "2026-06"
    assert version(dropped) == ""  # the version in force then does not name the ground
    assert version(kept) == "given-at-the-time"


def test_without_any_stored_version_nothing_is_guessed(world):
    CatalogueVersion.objects.all().delete()
    row = _disclosure(world, "2026-07-01")
    migration.backfill(apps, _Editor())
    row.refresh_from_db()
    assert row.ground_version == ""


def test_the_consent_page_says_unknown_rather_than_blank(world):
    _school, _other, rektor, _child, consent = world
    _disclosure(world, "2024-12-31")
    _disclosure(world, "2026-07-01", version="2026-06")
    client = Client()
    client.force_login(rektor.user)
    text = client.get(f"/samtycken/{consent.public_id}/").content.decode()
    assert "Grundkatalogens version" in text
    assert "okänd" in text
    assert "2026-06" in text
