"""Factories for forums and meetings: a forum convened by a samordnare in a social
services organisation, with a school as member, and its meetings."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from samverkan.directory.models import Function
from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory
from samverkan.meetings.models import Forum, ForumOrganisation, Meeting


class ForumFactory(DjangoModelFactory):
    class Meta:
        model = Forum

    name = factory.Sequence(lambda n: f"Testforum {n}")
    level = "basniva"
    cadence = "monthly"
    convener_organisation = factory.SubFactory(OrganisationFactory, org_type="socialtjanst")
    convener_function = factory.LazyFunction(lambda: Function.objects.get(code="samordnare"))
    purpose = "Samverkan kring barn i skolåldern."


class MeetingFactory(DjangoModelFactory):
    """A planned meeting starting ``starts_in`` from now (negative: already begun)."""

    class Meta:
        model = Meeting

    class Params:
        starts_in = datetime.timedelta(days=7)

    forum = factory.SubFactory(ForumFactory)
    starts_at = factory.LazyAttribute(lambda o: timezone.now() + o.starts_in)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=90))
    status = "planned"


def convener_of(forum: Forum):
    """A samordnare in the forum's convening organisation, with the forum's school as
    a member organisation."""
    ForumOrganisation.objects.get_or_create(forum=forum, organisation=forum.convener_organisation)
    return MembershipFactory(code="samordnare", organisation=forum.convener_organisation)
