"""``policy.could_allow`` answers from the rules' declared predicates (decision 0372):
the same answer as building every rule's condition or scope, for every actor shape.

A rule's predicate (``policy.applies_when``) is its own guard, so where it says no the
list and ``could_allow`` both see nothing. What can go wrong is a predicate that says
yes where the rule's body gives nothing (the menu would offer a list that is always
empty, or a page would open that must answer as if it did not exist): the checks below
build the body for every registered rule and every shape and compare."""

from __future__ import annotations

import itertools

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit.models import Action
from samverkan.directory.catalogue import FUNCTIONS
from samverkan.directory.models import OrganisationType

_ACTIONS = [*Action.values, "delete-all", ""]
_PEOPLE = [Permission.PEOPLE_VIEW, Permission.PEOPLE_REGISTER, Permission.PEOPLE_PROTECTED]


def _permission_sets() -> list[frozenset[str]]:
    """The catalogue's functions, every combination of the people permissions (with and
    without the others), each permission alone, none and all."""
    sets = {frozenset(perms) for _code, _name, _text, perms in FUNCTIONS}
    others = [p for p in Permission.values if p not in _PEOPLE]
    for n in range(len(_PEOPLE) + 1):
        for people in itertools.combinations(_PEOPLE, n):
            sets.add(frozenset(people))
            sets.add(frozenset(people) | frozenset(others))
    sets |= {frozenset([p]) for p in Permission.values}
    return sorted(sets, key=sorted)


def actor_shapes():
    """Staff in every organisation type and permission set, with and without a membership,
    a unit and sufficient assurance; family members with a personnummer, linked guardian
    records, both or neither; a user with no role; nobody."""
    for org_type, permissions in itertools.product(
        [*OrganisationType.values, ""], _permission_sets()
    ):
        for membership, sufficient in [(1, True), (1, False), (None, True)]:
            yield Actor(
                user_id=7,
                username="u",
                membership_id=membership,
                organisation_id=3 if membership else None,
                organisation_type=org_type,
                unit_id=5,
                function_code="kurator",
                permissions=permissions,
                assurance_sufficient=sufficient,
            )
    for number, guardians, sufficient in itertools.product(
        ["", "201001012383"], [frozenset(), frozenset({4})], [True, False]
    ):
        yield Actor(
            user_id=None,
            family_id=9,
            family_personal_number=number,
            family_guardian_ids=guardians,
            assurance_sufficient=sufficient,
        )
    yield Actor(user_id=None)


def _gives_rows(rule, actor: Actor, action: str, key: str, *, body: bool) -> bool:
    """Build the rule (its body alone with ``body``) and say whether it could give rows:
    a condition that is not None, a scope that is not ``.none()``."""
    fn = rule.__wrapped__ if body else rule
    if key in _condition_keys(rule):
        return fn(actor, action) is not None
    queryset = apps.get_model(key).objects.all()
    return not fn(actor, action, queryset).query.is_empty()


def _condition_keys(rule) -> set[str]:
    registries = (policy._conditions, policy._family_conditions)
    return {key for registry in registries for key, rules in registry.items() if rule in rules}


def _registered_rules():
    """(model label, rule, family?) for every registered condition and scope."""
    for key, rules in policy._conditions.items():
        yield from ((key, rule, False) for rule in rules)
    for key, rules in policy._scopes.items():
        yield from ((key, rule, False) for rule in rules)
    for key, rules in policy._family_conditions.items():
        yield from ((key, rule, True) for rule in rules)


def disagreements(rules, shapes) -> list[tuple]:
    """Where a rule's declared predicate says it could allow rows and its body gives
    none (or the other way round: the predicate says no, yet the guarded rule gives rows)."""
    found = []
    for key, rule, family in rules:
        applies = getattr(rule, "applies", None)
        if applies is None:
            continue
        for actor, action in shapes:
            if actor.is_family != family:
                continue
            said = applies(actor, action)
            if said and not _gives_rows(rule, actor, action, key, body=True):
                found.append((key, rule.__name__, actor, action, "predicate yes, body nothing"))
            if not said and _gives_rows(rule, actor, action, key, body=False):
                found.append((key, rule.__name__, actor, action, "predicate no, rule gives rows"))
    return found


def _built(actor: Actor, action: str, key: str) -> bool:
    """``could_allow`` as it was before decision 0372: every rule built."""
    if not policy._may_decide(actor) or not actor.assurance_sufficient:
        return False
    family = actor.is_family
    conditions = (policy._family_conditions if family else policy._conditions).get(key, [])
    if any(fn(actor, action) is not None for fn in conditions):
        return True
    everything = apps.get_model(key).objects.all()
    scopes = [] if family else policy._scopes.get(key, [])
    return any(not scope(actor, action, everything).query.is_empty() for scope in scopes)


def _shapes():
    return [(actor, action) for actor in actor_shapes() for action in _ACTIONS]


@pytest.mark.django_db
def test_every_predicate_agrees_with_its_rule_for_every_actor_shape():
    rules = list(_registered_rules())
    declared = {(key, rule.__name__) for key, rule, _ in rules if hasattr(rule, "applies")}
    # The menu's lists all answer from predicates.
    assert {
        ("people.child", "children_condition"),
        ("people.child", "children_by_consent_condition"),
        ("concerns.report", "scope_reports"),
        ("plans.plan", "scope_plans"),
        ("meetings.escalation", "scope_escalations"),
        ("people.child", "family_children_condition"),
    } <= declared
    assert disagreements(rules, _shapes()) == []


@pytest.mark.django_db
def test_could_allow_is_the_answer_of_building_every_rule_and_builds_none_of_them():
    keys = sorted(set(policy._conditions) | set(policy._scopes) | set(policy._family_conditions))
    allowed = 0
    for actor, action in _shapes():
        for key in keys:
            expected = _built(actor, action, key)
            assert policy.could_allow(actor, action, key) == expected, (key, actor, action)
            allowed += expected
    assert allowed  # (the shapes do reach rules that allow)
    kurator = next(a for a in actor_shapes() if Permission.PEOPLE_VIEW in a.permissions)
    with CaptureQueriesContext(connection) as queries:
        for key in ["people.child", "concerns.report", "plans.plan", "meetings.escalation"]:
            assert policy.could_allow(kurator, Action.READ, key)
    assert not queries.captured_queries


def test_a_predicate_that_disagrees_with_its_rule_is_found():
    """The check above has teeth: a predicate looser than its body, and a rule whose
    guard is bypassed, are both reported."""

    @policy.applies_when(lambda actor, action: True)
    def too_loose(actor, action):
        return Q(pk=1) if actor.has_perm(Permission.AUDIT_VIEW) else None

    def bypassed(actor, action):
        return Q(pk=1)

    bypassed.applies = lambda actor, action: False
    bypassed.__wrapped__ = bypassed
    policy._conditions.setdefault("people.child", [])
    rules = [("people.child", too_loose, False), ("people.child", bypassed, False)]
    policy._conditions["people.child"] += [too_loose, bypassed]
    try:
        found = disagreements(rules, [(a, Action.READ) for a in actor_shapes()][:40])
    finally:
        policy._conditions["people.child"].remove(too_loose)
        policy._conditions["people.child"].remove(bypassed)
    assert {(name, why) for _key, name, _actor, _action, why in found} == {
        ("too_loose", "predicate yes, body nothing"),
        ("bypassed", "predicate no, rule gives rows"),
    }
