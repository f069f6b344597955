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


def test_a_remembered_decision_serves_only_its_own_instance_actor_and_action(world):
    """``policy.remember`` spares a page a second lookup of the same decision; it must
    never answer for another actor, another action, or a freshly loaded copy."""
    from samverkan.people.models import Child, Involvement
    from samverkan.people.tests.factories import InvolvementFactory

    frida = world.actor("frida")
    involvement = InvolvementFactory(organisation_id=frida.organisation_id)
    child = involvement.child
    allowed = policy.decide(frida, "read", child)
    assert allowed
    policy.remember(frida, "read", child, allowed)
    assert policy.decide_once(frida, "read", child) is allowed
    # Another organisation's user, on the very same instance: decided anew (no matter).
    assert not policy.decide_once(world.actor("sofia"), "read", child)
    # The matter ends; a copy loaded afterwards is decided anew.
    Involvement.objects.filter(pk=involvement.pk).delete()
    assert not policy.decide_once(frida, "read", Child.objects.get(pk=child.pk))
    assert not policy.decide_once(frida, "change", child)
