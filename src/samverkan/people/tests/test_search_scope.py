"""Search by name answers what the access policy answers (decision 0354).

The search asks the policy's conditions as one ``EXISTS`` over their ``UNION ALL`` and,
on PostgreSQL, reads the prefix matches before the similar names. Whatever the shape of
the query, every viewer must find exactly the children the policy lets them see, in the
order prefix matches first, then the rest, each alphabetically, page after page: here
on a world of children with matters of several organisations (some ended), consents
given by the school naming social services and BUP (signed, unsigned, revoked) and
their sharing grants.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from samverkan.access import policy
from samverkan.audit.models import Action
from samverkan.consent import services as consent
from samverkan.consent.tests.conftest import SOCIAL, guardian_givers
from samverkan.people import names
from samverkan.people import selectors as people
from samverkan.people import services as people_services
from samverkan.people.models import Child
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory

QUERY = "Anders"
VIEWERS = ["sofia", "olof", "lena", "frida", "karin", "birgitta", "mats"]
# (first name, last name, matters: organisation -> ended?, consent by the school)
CHILDREN = [
    ("Anders", "Lind", {"school": False, "social": False}, "signed"),
    ("Alva", "Andersson", {"school": False, "bup": False}, "signed"),
    ("Elsa", "Andersén", {"school": False}, "signed"),
    ("Anderz", "Berg", {"school": False, "social": True}, "unsigned"),
    ("Nils", "Andersdotter", {"school": False}, "revoked"),
    ("Ida", "Andresson", {"school": False}, "signed"),
    ("Andreas", "Ek", {"bup": False}, None),
    ("Omar", "Sanders", {"school": False, "bvc": False}, "signed"),
    ("Anna", "Andersberg", {"social": True}, None),
    ("Ture", "Anders", {"school": False}, "signed"),
    ("Vera", "Andersson", {}, None),
]


@pytest.fixture
def search_world(world):
    orgs = {
        "school": world.organisations["Frejaskolan"],
        "social": world.organisations[SOCIAL],
        "bup": world.organisations["BUP"],
        "bvc": world.organisations["Barnhälsovården (BVC)"],
    }
    contexts = {
        "school": "education",
        "social": "voluntary_support",
        "bup": "health_care",
        "bvc": "health_care",
    }
    frida = world.actor("frida")
    for first, last, matters, given in CHILDREN:
        child = ChildFactory(first_name=first, last_name=last)
        for org, ended in matters.items():
            matter = InvolvementFactory(child=child, organisation=orgs[org], context=contexts[org])
            if ended:
                people_services.involvement_end(
                    actor=world.actor({"social": "olof", "bup": "lena"}[org]),
                    involvement_public_id=matter.public_id,
                    reason="Avslutat",
                )
        if given is None:
            continue
        people_services.guardian_add(
            actor=frida,
            child=child,
            data=people_services.GuardianInput(
                first_name="Förälder", last_name=last, custody_type="gemensam"
            ),
        )
        given_consent = consent.consent_give(
            actor=frida,
            child=child,
            party_ids=[orgs["social"].pk, orgs["bup"].pk],
            category_codes=["skolsituation"],
            purpose_codes=["samverkanstraff"],
            form="written",
            context="voluntary",
            child_views="Barnet vill att de pratar med varandra.",
            givers=[] if given == "unsigned" else guardian_givers(child, orgs["school"].pk),
        )
        if given == "revoked":
            consent.consent_revoke(actor=frida, consent=given_consent, giver_ids=None)
    return world


def _expected(actor) -> list[int]:
    """The policy's answer, child by child, over every child in the register."""
    key = names.search_key(QUERY)
    similar = set()
    if connection.vendor == "postgresql":
        similar = set(
            Child.objects.filter(
                RawSQL('%s <%% "people_child"."name_key"', [key], output_field=BooleanField())
            ).values_list("pk", flat=True)
        )
    rows = []
    for child in Child.objects.all():
        prefix = child.name_key.startswith(key) or child.name_key_last.startswith(key)
        if not (prefix or child.pk in similar):
            continue
        if policy.decide(actor, Action.SEARCH, child).allowed:
            rows.append((0 if prefix else 1, child.sort_key, child.pk))
    return [pk for _rank, _sort, pk in sorted(rows)]


def _searched(actor, size: int) -> list[int]:
    found, number = [], 1
    while True:
        page = people.child_search(actor, query=QUERY, page=number, size=size)
        found += [c.pk for c in page.items]
        for child in page.items:
            assert (
                child.own_matter
                == child.involvements.filter(organisation_id=actor.organisation_id).exists()
            )
        if not page.has_next:
            return found
        number += 1


@pytest.mark.parametrize("username", VIEWERS)
def test_name_search_finds_what_the_policy_allows(search_world, username):
    actor = search_world.actor(username)
    expected = _expected(actor)
    for size in (2, 3, 25):
        assert _searched(actor, size) == expected, f"{username}, pages of {size}"


def test_the_world_lets_viewers_see_differently(search_world):
    """The world is not trivial: the viewers' answers differ and each is some but not
    all of the children matching the name."""
    answers = {u: tuple(_expected(search_world.actor(u))) for u in ("sofia", "lena", "frida")}
    assert len(set(answers.values())) == 3
    assert all(answers.values())
