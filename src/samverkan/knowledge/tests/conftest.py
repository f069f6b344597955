"""Fixtures for the knowledge tests. The demo world and ``login`` come from
src/samverkan/conftest.py."""

from __future__ import annotations

import uuid

import pytest

from samverkan.access import grounds
from samverkan.core.errors import NotFound
from samverkan.knowledge import tagging

GENERIC = "test.target"


class GenericTargets:
    """A stand-in for a later feature's records (a report, a SIP need): each target
    belongs to one organisation and is about one child."""

    def __init__(self):
        self.owner: dict[uuid.UUID, int] = {}
        self.child: dict[uuid.UUID, uuid.UUID] = {}

    def add(self, organisation_id: int, child_id: uuid.UUID | None = None) -> uuid.UUID:
        target_id = uuid.uuid4()
        self.owner[target_id] = organisation_id
        if child_id is not None:
            self.child[target_id] = child_id
        return target_id

    def visible_for_child(self, actor, child_id):
        return [
            t
            for t, c in self.child.items()
            if c == child_id and self.owner[t] == actor.organisation_id
        ]

    def authorize(self, actor, target_id, child_id):
        if self.owner.get(target_id) != actor.organisation_id:
            raise NotFound()
        return grounds.own_matter(str(target_id), actor.organisation_name)


@pytest.fixture
def targets():
    registry = GenericTargets()
    tagging.register_target_type(
        GENERIC,
        label="Testpost",
        authorize=registry.authorize,
        visible_for_child=registry.visible_for_child,
    )
    yield registry
    tagging.unregister_target_type(GENERIC)
