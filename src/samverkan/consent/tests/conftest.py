"""Fixtures and helpers shared by the consent tests.

``clock`` moves "now" for the code under test (a small stand-in for freezegun: it
replaces ``django.utils.timezone.now``, which every service, selector and the session
and token checks go through). Create clients *after* moving the clock, so that their
sessions and tokens are valid at the moved time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.consent import services
from samverkan.consent.models import Consent, Disclosure
from samverkan.demo.world import born, fictional_number
from samverkan.people import selectors as people_selectors
from samverkan.people import services as people_services

SOCIAL = "Socialtjänsten barn och familj"


@dataclass
class Clock:
    monkeypatch: pytest.MonkeyPatch
    real_now: object

    def travel(self, **delta) -> datetime.datetime:
        """Move now forward (or back) by ``timedelta(**delta)`` from the real now."""
        return self.set(self.real_now() + datetime.timedelta(**delta))

    def set(self, moment: datetime.datetime) -> datetime.datetime:
        """Stop the clock at ``moment`` (aware), given as the database gives it: UTC."""
        moment = moment.astimezone(datetime.UTC)
        self.monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch=monkeypatch, real_now=timezone.now)


@pytest.fixture
def audit_since():
    """Rows written after this point (the demo world's own rows come before)."""
    mark = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def _rows(**filters):
        return AuditEvent.objects.filter(id__gt=mark, **filters)

    return _rows


@pytest.fixture
def melwin(world):
    return world.children["melwin"]


@pytest.fixture
def melwin_consent(melwin) -> Consent:
    """The demo consent: Frejaskolan, Elevhälsan, Socialtjänsten and BUP, SIP and
    samverkansträff, both guardians, registered by karin at Elevhälsan."""
    return Consent.objects.get(child=melwin)


def guardian_givers(child, organisation_id=None, **kwargs) -> list[services.GiverInput]:
    """Every guardian with custody (as ``organisation_id`` recorded them) consents."""
    return [
        services.GiverInput(kind="guardian", guardian_id=str(c.guardian.public_id), **kwargs)
        for c in people_selectors.system_custodies(child, organisation_id)
    ]


@pytest.fixture
def ebba(world):
    """A child made for the test, so that what the demo world adds later (reports,
    plans, meetings) cannot change the scenario: Ebba Exempelsson, 10, in class 4B at
    Frejaskolan (frida), whose family gets voluntary support from Familjecentralen
    (olof). Her school has recorded both parents, with joint custody. BUP and
    Vårdcentralen have no matter with her."""
    frida, olof = world.actor("frida"), world.actor("olof")
    child, _ = people_services.child_register(
        actor=frida,
        personal_number=fictional_number(born(10, 50), 871),
        first_name="Ebba",
        last_name="Exempelsson",
        context="education",
        street_address="Lönnvägen 4",
        postal_code="12349",
        city="Exempelstad",
    )
    people_services.enrolment_add(actor=frida, child=child, school_year="4", class_name="4B")
    for first in ("Sara", "Per"):
        people_services.guardian_add(
            actor=frida,
            child=child,
            data=people_services.GuardianInput(
                first_name=first, last_name="Exempelsson", custody_type="gemensam"
            ),
        )
    people_services.child_register(
        actor=olof,
        personal_number=child.personal_number,
        first_name="Ebba",
        last_name="Exempelsson",
        context="voluntary_support",
        unit_id=world.units["Familjecentralen 0–12"].pk,
        note="Föräldrastöd efter ansökan från familjen.",
    )
    return child


@pytest.fixture
def give(world, ebba):
    """``give(["BUP"], ...)``: frida (Frejaskolan) registers a consent for Ebba, signed
    by both parents. Frejaskolan is always a party."""

    def _give(parties, *, context="voluntary", valid_until=None, **kwargs) -> Consent:
        kwargs.setdefault("category_codes", ["skolsituation", "insatser"])
        kwargs.setdefault("purpose_codes", ["samverkanstraff"])
        kwargs.setdefault("givers", guardian_givers(ebba, world.organisations["Frejaskolan"].pk))
        return services.consent_give(
            actor=world.actor("frida"),
            child=ebba,
            party_ids=[world.organisations[name].pk for name in parties],
            form="written",
            context=context,
            valid_until=valid_until,
            **kwargs,
        )

    return _give


@pytest.fixture
def disclosures_since():
    """Disclosure rows written after this point (the demo world records some)."""
    mark = Disclosure.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def _rows(**filters):
        return Disclosure.objects.filter(pk__gt=mark, **filters).order_by("pk")

    return _rows


def secrets_of(child) -> list[str]:
    """What must not appear where the child is denied: name, personnummer in every
    usual spelling, address, public id, guardians' names."""
    number = child.personal_number
    secrets = [
        child.first_name,
        child.full_name,
        number,
        f"{number[:8]}-{number[8:]}",
        f"{number[2:8]}-{number[8:]}",
        str(child.public_id),
    ]
    if child.street_address:
        secrets.append(child.street_address)
    secrets += [c.guardian.full_name for c in people_selectors.system_custodies(child)]
    return secrets


def assert_nothing_of(child, response) -> None:
    body = response.content.decode(errors="replace")
    for secret in secrets_of(child):
        assert secret not in body, f"{secret!r} leaked"


def assert_sent_to_login(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/")
