"""Factories for the directory: principals, organisations, staff and memberships.

``MembershipFactory(function="kurator", organisation=...)`` gives a user working in a
function; ``actor_of(membership)`` the Actor the services and selectors take."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from samverkan.directory import selectors
from samverkan.directory.models import Function, Membership, Organisation, Principal


class PrincipalFactory(DjangoModelFactory):
    class Meta:
        model = Principal

    name = factory.Sequence(lambda n: f"Testkommun {n}")
    kind = "kommun"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    principal = factory.SubFactory(PrincipalFactory)
    name = factory.Sequence(lambda n: f"Testverksamhet {n}")
    org_type = "skola"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"testperson{n}")
    first_name = factory.Sequence(lambda n: f"Test{n}")
    last_name = "Personsson"
    email = factory.LazyAttribute(lambda o: f"{o.username}@test.example")


class MembershipFactory(DjangoModelFactory):
    """A user in a standard function (by code, e.g. ``"kurator"``)."""

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
