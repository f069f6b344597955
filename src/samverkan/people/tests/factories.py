"""Factories for the children register. Numbers are valid (Luhn) and never collide with
the demo world's."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from samverkan.demo.world import fictional_number
from samverkan.people import names
from samverkan.people.models import Child, Involvement, InvolvementContext, NumberKind

FACTORY_SERIAL = 990  # the demo world uses other serial numbers


class ChildFactory(DjangoModelFactory):
    class Meta:
        model = Child

    date_of_birth = factory.Sequence(
        lambda n: datetime.date(2010, 1, 1) + datetime.timedelta(days=n)
    )
    personal_number = factory.LazyAttribute(
        lambda o: fictional_number(o.date_of_birth, FACTORY_SERIAL)
    )
    number_kind = NumberKind.PERSONNUMMER
    first_name = factory.Sequence(lambda n: f"Barn{n}")
    last_name = "Testsson"
    name_key = factory.LazyAttribute(lambda o: names.keys(o.first_name, o.last_name)["name_key"])
    name_key_last = factory.LazyAttribute(
        lambda o: names.keys(o.first_name, o.last_name)["name_key_last"]
    )
    sort_key = factory.LazyAttribute(lambda o: names.keys(o.first_name, o.last_name)["sort_key"])
    street_address = "Testgatan 1"
    postal_code = "12345"
    city = "Exempelstad"


class InvolvementFactory(DjangoModelFactory):
    """An organisation's open matter with a child. Pass ``organisation``."""

    class Meta:
        model = Involvement

    child = factory.SubFactory(ChildFactory)
    context = InvolvementContext.EDUCATION
    started_at = factory.LazyFunction(timezone.now)
