"""Factories for the directory: principals, organisations, units, staff accounts with
their e-legitimation identities, and memberships.

``MembershipFactory(code="kurator", organisation=...)`` gives a user working in a
function; ``actor_of(membership)`` the Actor the services and selectors take.
Personnummer are valid (Luhn) and never collide with the demo world's (adults, serial
970 and up)."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from samverkan.demo.world import fictional_number
from samverkan.directory import selectors
from samverkan.directory.models import (
    Function,
    Membership,
    Organisation,
    OrganisationType,
    Principal,
    PrincipalKind,
    StaffIdentity,
    Unit,
)


def staff_personnummer(n: int) -> str:
    birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=n * 37)
    return fictional_number(birth, 970 + n % 29)


class PrincipalFactory(DjangoModelFactory):
    class Meta:
        model = Principal

    name = factory.Sequence(lambda n: f"Testkommun {n}")
    kind = PrincipalKind.MUNICIPALITY


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    principal = factory.SubFactory(PrincipalFactory)
    name = factory.Sequence(lambda n: f"Testverksamhet {n}")
    org_type = OrganisationType.SCHOOL
    password_login = False


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Enhet {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"testperson{n}")
    first_name = factory.Sequence(lambda n: f"Test{n}")
    last_name = "Personsson"
    email = factory.LazyAttribute(lambda o: f"{o.username}@test.example")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "ett-langt-testlosenord")
        if create:
            obj.save(update_fields=["password"])


class StaffIdentityFactory(DjangoModelFactory):
    class Meta:
        model = StaffIdentity

    user = factory.SubFactory(UserFactory)
    personnummer = factory.Sequence(staff_personnummer)
    hsa_id = None


class MembershipFactory(DjangoModelFactory):
    """A user in a standard function (by code, e.g. ``code="kurator"``)."""

    class Meta:
        model = Membership

    class Params:
        code = "kurator"

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    function = factory.LazyAttribute(lambda o: Function.objects.get(code=o.code))
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


def actor_of(membership: Membership):
    return selectors.actor_from_membership(membership)
