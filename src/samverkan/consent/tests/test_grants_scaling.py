"""Recomputing every sharing grant costs the same per child at any size (decision 0365).

``grants.rebuild`` runs in batches of children. A batch's queries must not depend on how
many children or consents it holds (no query per row), and its Python work must grow
with its rows, not with their square: ``_load`` once rebuilt the set of consenting
children once per child, so a batch of 1,000 children cost a million attribute reads
and the 200,000-children world's rebuild took most of its build. Both are counted here,
not timed, so the test says the same on a busy machine.
"""

from __future__ import annotations

import copy
import sys
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverkan.consent import grants
from samverkan.consent.models import Consent, ConsentGiver, ConsentParty, SharingGrant
from samverkan.people.models import Child, Custody

CLONES = 300


def _clone(obj, **changes):
    new = copy.copy(obj)
    new.pk = None
    if hasattr(new, "public_id"):
        new.public_id = uuid.uuid4()
    for name, value in changes.items():
        setattr(new, name, value)
    return new


def _children_like(consent: Consent, count: int) -> None:
    """``count`` more children in the same situation as ``consent``'s child: the same
    guardians with custody, the same consent (givers, parties)."""
    child = Child.objects.get(pk=consent.child_id)
    custodies = list(Custody.objects.filter(child=child, ended_at__isnull=True))
    givers = list(consent.givers.all())
    parties = list(consent.party_links.all())
    children = Child.objects.bulk_create(
        [_clone(child, personal_number=f"T{i:011d}") for i in range(count)]
    )
    Custody.objects.bulk_create([_clone(c, child_id=new.pk) for new in children for c in custodies])
    consents = Consent.objects.bulk_create([_clone(consent, child_id=new.pk) for new in children])
    ConsentGiver.objects.bulk_create(
        [_clone(g, consent_id=new.pk) for new in consents for g in givers]
    )
    ConsentParty.objects.bulk_create(
        [_clone(p, consent_id=new.pk) for new in consents for p in parties]
    )


def _python_calls(function) -> int:
    """Python function calls made while ``function`` runs (deterministic, unlike time)."""
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    try:
        function()
    finally:
        sys.setprofile(None)
    return calls


def _queries(function) -> int:
    """Queries other than the inserts (whose number is the rows over the database's
    limit of values per statement)."""
    with CaptureQueriesContext(connection) as ctx:
        function()
    return sum(1 for q in ctx.captured_queries if not q["sql"].startswith("INSERT"))


def _grant_rows() -> list:
    return sorted(
        SharingGrant.objects.values_list(
            "consent_id", "organisation_id", "valid_from", "valid_until", "own_age"
        )
    )


@pytest.mark.django_db
def test_rebuild_costs_the_same_per_child_in_small_and_large_batches(world):
    melwin = world.children["melwin"]
    covering = grants.covering_many([melwin.pk], world.organisations["BUP"].pk)[melwin.pk]
    _children_like(Consent.objects.get(pk=covering.pk), CLONES)
    children = Consent.objects.values("child_id").distinct().count()
    assert children > CLONES

    # Queries: a fixed number per batch, whatever it holds (plus removing the grants of
    # children without consents, and the query that finds no more children), inserts
    # aside.
    one_batch = _queries(lambda: grants.rebuild(batch_size=children))
    per_batch = one_batch - 2
    assert _queries(lambda: grants.rebuild(batch_size=1)) == 2 + per_batch * children
    rows = _grant_rows()
    assert len(rows) > 2 * CLONES  # every clone's consent covers, for two parties

    # Python work: one batch of every child costs no more than ten batches of a tenth
    # (fewer batches, less overhead). With the set of consenting children built once
    # per child (a loop over children times consents) the large batch cost 7 % more
    # than the small ones; without it, 12 % less.
    large = _python_calls(lambda: grants.rebuild(batch_size=children))
    small = _python_calls(lambda: grants.rebuild(batch_size=children // 10 + 1))
    assert large <= small, (large, small)
    assert _grant_rows() == rows
    assert grants.check()[1] == []
