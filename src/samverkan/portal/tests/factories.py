"""Factories for the family portal's tests: guardians as an organisation recorded
them (with personnummer), custody, and portal accounts. Numbers are valid (Luhn) and
never collide with the demo world's (adults born 1980-, serial 930 and up)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from samverkan.demo.world import fictional_number
from samverkan.people.models import Custody, CustodyType, Guardian
from samverkan.portal.models import FamilyAccount


def adult_number(n: int) -> str:
    """An adult's number, distinct for every n below 5000 (born 1960-2001)."""
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=(n % 5000) * 3)
    return fictional_number(birth, 930 + n % 29)


class GuardianFactory(DjangoModelFactory):
    class Meta:
        model = Guardian

    first_name = factory.Sequence(lambda n: f"Förälder{n}")
    last_name = "Testsson"
    personal_number = factory.Sequence(adult_number)
    street_address = "Skyddsgatan 9"
    postal_code = "12399"
    city = "Hemligstad"


class CustodyFactory(DjangoModelFactory):
    """``CustodyFactory(child=..., guardian__organisation=...)``."""

    class Meta:
        model = Custody

    guardian = factory.SubFactory(GuardianFactory)
    custody_type = CustodyType.JOINT


class FamilyAccountFactory(DjangoModelFactory):
    class Meta:
        model = FamilyAccount

    personal_number = factory.Sequence(adult_number)
    display_name = factory.Sequence(lambda n: f"Förälder{n} Testsson")
    first_login_at = factory.LazyFunction(timezone.now)
    last_login_at = factory.LazyFunction(timezone.now)
