"""The policy decision point denies by default."""

from __future__ import annotations

from django.apps import apps

from samverkan.access import policy
from samverkan.access.actor import ANONYMOUS, Actor


def test_anonymous_is_denied_everything(world):
    noah = world.children["noah"]
    decision = policy.decide(ANONYMOUS, "read", noah)
    assert not decision
    assert decision.reason == "Du måste logga in."
    assert not policy.visible(ANONYMOUS, "read", type(noah).objects.all()).exists()


def test_user_without_a_role_is_denied(world):
    noah = world.children["noah"]
    roleless = Actor(user_id=world.users["frida"].pk, username="frida")
    decision = policy.decide(roleless, "read", noah)
    assert not decision
    assert decision.reason == "Du har ingen aktiv roll i någon verksamhet."
    assert not policy.visible(roleless, "read", type(noah).objects.all()).exists()


def test_records_without_a_rule_are_denied(world):
    organisation = world.organisations["Frejaskolan"]
    decision = policy.decide(world.actor("frida"), "read", organisation)
    assert not decision
    assert decision.reason == "Ingen regel tillåter detta."
    Unit = apps.get_model("directory", "Unit")
    assert not policy.visible(world.actor("frida"), "read", Unit.objects.all()).exists()


def test_unknown_action_is_denied(world):
    decision = policy.decide(world.actor("frida"), "delete", world.children["noah"])
    assert not decision


def test_allowed_decision_carries_its_ground(world):
    decision = policy.decide(world.actor("frida"), "read", world.children["noah"])
    assert decision
    assert decision.ground.code == "own_matter"
    assert decision.ground.label == "Egen verksamhets ärende (Frejaskolan)"
