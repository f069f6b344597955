"""The sharing grants are the rules engine, as rows (decision 0090).

A Hypothesis state machine drives random sequences of what happens to a child: consents
given (signed by all, some or none of the guardians, with or without the young
person's own signature, starting now or later, short or long), signed later (also
back-dated), revoked by one giver or all, guardians with custody added (by the
registering organisation or by another one), social services' matter changing
character, ended and opened again, other organisations starting matters — while the
clock moves on (hours to weeks, across the 15th birthday and consents' ends).

After every step, for every consent, the stored grants are compared with
``rules.evaluate`` at *every* moment that matters: each date and time the rules compare
``at`` with (starts and ends of validity as Swedish days, signatures, revocations, the
matters' changes of character, the birthday from which the young person's own consent
is needed), just before each, and between each two. Between two such moments the rules
cannot change their answer, so this is the whole time line, not a sample. On top, at
random moments: the access policy (``decide`` and ``visible``) and ``decide_sharing``
answer from the grants exactly as the rules engine does.
"""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from samverkan.access import policy
from samverkan.audit.models import Action
from samverkan.consent import grants, rules, services, sharing
from samverkan.consent.models import Consent, SharingGrant
from samverkan.core.errors import ValidationFailed
from samverkan.demo.world import born, fictional_number
from samverkan.people import selectors as people_selectors
from samverkan.people import services as people_services
from samverkan.people.models import Child, Involvement

SCHOOL, HEALTH = "Frejaskolan", "Elevhälsan Frejaskolan"
SOCIAL, BUP, BVC = "Socialtjänsten barn och familj", "BUP", "Barnhälsovården (BVC)"
PARTIES = [HEALTH, SOCIAL, BUP, BVC]
# Who registers consents and guardians for each organisation, and who reads.
REGISTRAR = {SCHOOL: "frida", HEALTH: "karin"}
READERS = {SCHOOL: "frida", HEALTH: "karin", SOCIAL: "olof", BUP: "lena", BVC: "birgitta"}
CATEGORIES = ["skolsituation", "halsa", "insatser"]
PURPOSES = ["samverkanstraff", "sip"]
EPSILON = datetime.timedelta(microseconds=1)


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min), timezone.get_current_timezone()
    )


def moments_that_matter(consent, facts: sharing.ChildFacts, own_age: int) -> list:
    """Every moment the rules compare ``at`` with, worked out from the facts (not from
    the grants): the rules' answer is constant between two consecutive ones."""
    child = facts.child
    points = {
        _midnight(consent.valid_from),
        _midnight(consent.valid_until + datetime.timedelta(days=1)),
    }
    for age in (own_age - 1, own_age, own_age + 1):
        try:
            day = child.date_of_birth.replace(year=child.date_of_birth.year + age)
        except ValueError:
            day = datetime.date(child.date_of_birth.year + age, 3, 1)
        points |= {_midnight(day), _midnight(day + datetime.timedelta(days=1))}
    for giver in consent.givers.all():
        points.add(giver.given_at)
        if giver.revoked_at:
            points.add(giver.revoked_at)
    for involvement in facts.involvements:
        points |= {involvement.started_at, involvement.context_since or involvement.started_at}
    points = sorted(points)
    probes = set()
    for left, right in itertools.pairwise(points):
        probes |= {left, right - EPSILON, left + (right - left) / 2}
    probes |= {points[0] - datetime.timedelta(days=1), points[-1] + datetime.timedelta(days=1)}
    return sorted(probes)


def grants_cover(rows: list[SharingGrant], party_ids: set[int], at) -> bool:
    holders = {g.organisation_id for g in rows if g.valid_from <= at < g.valid_until}
    assert holders in (set(), party_ids), "a consent covers for all its parties or for none"
    return bool(holders)


class ChildHistory(RuleBasedStateMachine):
    """One child (14, turning 15 in about three weeks) whose school, student health and
    social services (voluntary support) work with the family; her school has recorded
    one guardian, who has consented."""

    world = None  # set by the test
    monkeypatch = None

    @initialize()
    def start(self):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.now = timezone.now()
        self.monkeypatch.setattr(timezone, "now", lambda: self.now)
        self.orgs = {name: self.world.organisations[name] for name in READERS}
        self.child, _ = people_services.child_register(
            actor=self.actor(SCHOOL),
            personal_number=fictional_number(born(14, 345), 577),
            first_name="Tove",
            last_name="Prövasson",
            context="education",
        )
        _, self.social_matter = people_services.child_register(
            actor=self.actor(SOCIAL),
            personal_number=self.child.personal_number,
            first_name="Tove",
            last_name="Prövasson",
            context="voluntary_support",
        )
        people_services.child_register(
            actor=self.actor(HEALTH),
            personal_number=self.child.personal_number,
            first_name="Tove",
            last_name="Prövasson",
            context="student_health",
        )
        self.guardian(SCHOOL, "Första")
        # Her guardian has consented to the school, social services and BUP talking,
        # in the context of voluntary support.
        self.consents: list[Consent] = [
            services.consent_give(
                actor=self.actor(SCHOOL),
                child=self.child,
                party_ids=[self.orgs[SOCIAL].pk, self.orgs[BUP].pk],
                category_codes=["insatser"],
                purpose_codes=["samverkanstraff"],
                form="written",
                context="voluntary",
                child_views="Tove vill att de pratar med varandra.",
                givers=[
                    services.GiverInput(kind="guardian", guardian_id=g)
                    for g in self.custodians(SCHOOL)
                ],
            )
        ]

    def teardown(self):
        if getattr(self, "atomic", None) is not None:
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.monkeypatch.undo()

    # helpers --------------------------------------------------------------------------

    def actor(self, org):
        return self.world.actor(READERS[org])

    def guardian(self, org, first_name):
        kind = "gemensam"
        return people_services.guardian_add(
            actor=self.world.actor(REGISTRAR[org]),
            child=self.child,
            data=people_services.GuardianInput(
                first_name=first_name, last_name="Prövasson", custody_type=kind
            ),
        )

    def custodians(self, org) -> list[str]:
        return [
            str(c.guardian.public_id)
            for c in people_selectors.system_custodies(self.child, self.orgs[org].pk)
        ]

    def refreshed(self, consent) -> Consent:
        return Consent.objects.prefetch_related("givers", "party_links").get(pk=consent.pk)

    # what happens ---------------------------------------------------------------------

    @rule(
        registrar=st.sampled_from([SCHOOL, SCHOOL, HEALTH]),
        parties=st.sets(st.sampled_from(PARTIES), min_size=1),
        categories=st.sets(st.sampled_from(CATEGORIES), min_size=1),
        purposes=st.sets(st.sampled_from(PURPOSES), min_size=1),
        context=st.sampled_from(["voluntary", "report_investigation"]),
        starts_in=st.integers(0, 10),
        lasts=st.integers(0, 60),
        guardians=st.sampled_from(["all", "first", "none"]),
        own=st.booleans(),
        signed_days_ago=st.integers(0, 3),
    )
    def give(
        self,
        registrar,
        parties,
        categories,
        purposes,
        context,
        starts_in,
        lasts,
        guardians,
        own,
        signed_days_ago,
    ):
        custodians = self.custodians(registrar)
        chosen = {"all": custodians, "first": custodians[:1], "none": []}[guardians]
        today = timezone.localdate()
        signed_on = today - datetime.timedelta(days=signed_days_ago)
        givers = [
            services.GiverInput(kind="guardian", guardian_id=g, given_on=signed_on) for g in chosen
        ]
        if own:
            givers.append(services.GiverInput(kind="child"))
        valid_from = today + datetime.timedelta(days=starts_in)
        consent = services.consent_give(
            actor=self.world.actor(REGISTRAR[registrar]),
            child=self.child,
            party_ids=[self.orgs[name].pk for name in parties - {registrar}] or [self.orgs[BUP].pk],
            category_codes=sorted(categories),
            purpose_codes=sorted(purposes),
            form="written",
            context=context,
            valid_from=valid_from,
            valid_until=valid_from + datetime.timedelta(days=lasts),
            child_views="Tove vill att de pratar med varandra.",
            givers=givers,
        )
        self.consents.append(consent)

    @precondition(lambda self: self.consents)
    @rule(index=st.integers(0, 20), own=st.booleans(), days_ago=st.integers(0, 2))
    def sign(self, index, own, days_ago):
        consent = self.refreshed(self.consents[index % len(self.consents)])
        registrar = next(
            n for n, o in self.orgs.items() if o.pk == consent.registered_by_organisation_id
        )
        signed = {str(g.guardian.public_id) for g in consent.givers.all() if g.guardian_id}
        has_own = any(g.kind == "child" for g in consent.givers.all())
        day = max(
            timezone.localdate() - datetime.timedelta(days=days_ago),
            timezone.localdate(consent.created_at),
        )
        if own and not has_own:
            givers = [services.GiverInput(kind="child", given_on=day)]
        else:
            missing = [g for g in self.custodians(registrar) if g not in signed]
            if not missing:
                return
            givers = [services.GiverInput(kind="guardian", guardian_id=missing[0], given_on=day)]
        actor = self.world.actor(REGISTRAR[registrar])
        if any(g.revoked_at for g in consent.givers.all()):
            with pytest.raises(ValidationFailed):
                services.consent_sign(actor=actor, consent=consent, givers=givers)
            return
        services.consent_sign(actor=actor, consent=consent, givers=givers)

    @precondition(lambda self: self.consents)
    @rule(index=st.integers(0, 20), everyone=st.booleans())
    def revoke(self, index, everyone):
        consent = self.refreshed(self.consents[index % len(self.consents)])
        active = sorted(
            (g for g in consent.givers.all() if g.revoked_at is None), key=lambda g: g.pk
        )
        if not active:
            return
        registrar = next(
            n for n, o in self.orgs.items() if o.pk == consent.registered_by_organisation_id
        )
        services.consent_revoke(
            actor=self.world.actor(REGISTRAR[registrar]),
            consent=consent,
            giver_ids=None if everyone else [active[0].pk],
        )

    @rule(org=st.sampled_from([SCHOOL, HEALTH]))
    def custody(self, org):
        if len(self.custodians(org)) >= 2:
            return
        self.guardian(org, "Andra" if self.custodians(org) else "Första")

    @rule(change=st.sampled_from(["investigation", "report", "voluntary_support", "end"]))
    def social_matter(self, change):
        """Social services' matter changes character or ends; after it ended, a new one
        opens (with ``change`` as its character, a report when ``change`` is "end")."""
        matter = Involvement.objects.get(pk=self.social_matter.pk)
        social = self.actor(SOCIAL)
        if matter.ended_at is not None:
            _, self.social_matter = people_services.child_register(
                actor=social,
                personal_number=self.child.personal_number,
                first_name="Tove",
                last_name="Prövasson",
                context="report" if change == "end" else change,
            )
        elif change == "end":
            people_services.involvement_end(actor=social, involvement_public_id=matter.public_id)
        else:
            if change == matter.context:
                change = "voluntary_support" if change != "voluntary_support" else "investigation"
            people_services.involvement_change_context(
                actor=social, involvement_public_id=matter.public_id, context=change
            )

    @rule(org=st.sampled_from([BUP, BVC]))
    def health_care_starts(self, org):
        if Involvement.objects.filter(
            child=self.child, organisation=self.orgs[org], ended_at__isnull=True
        ).exists():
            return
        people_services.child_register(
            actor=self.actor(org),
            personal_number=self.child.personal_number,
            first_name="Tove",
            last_name="Prövasson",
            context="health_care",
        )

    @rule(hours=st.integers(1, 24 * 40))
    def time_passes(self, hours):
        self.now += datetime.timedelta(hours=hours)

    # the proof ------------------------------------------------------------------------

    @invariant()
    def grants_are_the_rules_over_the_whole_time_line(self):
        if not getattr(self, "consents", None):
            return
        facts = sharing.ChildFacts.load(self.child)
        thresholds = sharing.thresholds()
        stored: dict[int, list] = {}
        for grant in SharingGrant.objects.filter(child=self.child):
            assert grant.own_age == thresholds.child_own_age
            stored.setdefault(grant.consent_id, []).append(grant)
        assert set(stored) <= {c.pk for c in facts.consents}
        for consent in facts.consents:
            party_ids = {p.organisation_id for p in consent.party_links.all()}
            rows = stored.get(consent.pk, [])
            for at in moments_that_matter(consent, facts, thresholds.child_own_age):
                expected = sharing.coverage(consent, facts, at).covers
                assert grants_cover(rows, party_ids, at) == expected, (consent.short_id, at)

    @rule(
        days=st.floats(-20, 80, allow_nan=False),
        source=st.sampled_from(list(READERS)),
        receiver=st.sampled_from(list(READERS)),
        category=st.sampled_from(CATEGORIES),
        purpose=st.sampled_from([*PURPOSES, None]),
    )
    def ask(self, days, source, receiver, category, purpose):
        """At a random moment: decide_sharing from the grants == from the rules."""
        at = self.now + datetime.timedelta(days=days)
        question = {
            "child": self.child,
            "from_organisation_id": self.orgs[source].pk,
            "to_organisation_id": self.orgs[receiver].pk,
            "category": category,
            "purpose": purpose,
            "at": at,
        }
        by_grants = sharing.decide_sharing(**question)
        by_rules = sharing.decide_sharing(**question, facts=sharing.ChildFacts.load(self.child))
        assert by_grants.allowed == by_rules.allowed, (question, by_rules.reason)
        if by_grants.allowed:
            assert by_grants.ground == by_rules.ground

    @invariant()
    def policy_answers_from_the_grants_as_the_rules_do(self):
        if not getattr(self, "consents", None):
            return
        facts = sharing.ChildFacts.load(self.child)
        for org, username in READERS.items():
            actor = self.world.actor(username)
            own = Involvement.objects.filter(child=self.child, organisation=self.orgs[org]).exists()
            by_consent = any(
                self.orgs[org].pk in {p.organisation_id for p in c.party_links.all()}
                and sharing.coverage(c, facts, self.now).covers
                for c in facts.consents
            )
            visible = policy.visible(actor, Action.READ, Child.objects.filter(pk=self.child.pk))
            assert visible.exists() == (own or by_consent), org
            assert policy.decide(actor, Action.READ, self.child).allowed == (own or by_consent)


@pytest.mark.django_db
def test_sharing_grants_equal_the_rules_engine(world, monkeypatch):
    ChildHistory.world = world
    ChildHistory.monkeypatch = monkeypatch
    run_state_machine_as_test(
        ChildHistory,
        settings=settings(
            max_examples=30,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )


@pytest.mark.django_db
def test_check_finds_no_difference_and_rebuild_changes_nothing(world):
    """The demo world's grants, as the services maintained them, pass the command's
    check against the rules engine, and a rebuild writes the same rows."""
    before = sorted(
        SharingGrant.objects.values_list(
            "consent_id", "organisation_id", "valid_from", "valid_until"
        )
    )
    assert before, "the demo world has consents that cover"
    checked, mismatches = grants.check()
    assert checked == Consent.objects.count() and mismatches == []
    grants.rebuild()
    after = sorted(
        SharingGrant.objects.values_list(
            "consent_id", "organisation_id", "valid_from", "valid_until"
        )
    )
    assert after == before


@pytest.mark.django_db
def test_grants_of_another_age_threshold_are_ignored_until_rebuilt(world, settings):
    """After SAMVERKAN_CONSENT_CHILD_OWN_AGE changes, rows computed with the old age are
    never used: decisions fall back to the rules engine, and the check names them."""
    melwin = world.children["melwin"]
    social = world.actor("sofia")  # sees Melwin only on his consent
    assert policy.decide(social, Action.READ, melwin).allowed
    settings.SAMVERKAN = {**settings.SAMVERKAN, "CONSENT_CHILD_OWN_AGE": 14}  # Melwin is 14
    assert grants.stale_count() > 0
    assert not policy.visible(social, Action.READ, Child.objects.filter(pk=melwin.pk)).exists()
    decision = policy.decide(social, Action.READ, melwin)
    assert not decision.allowed
    # Social services is a party, not the consent's holder: it is told that the consent
    # does not cover, not why (issue 11).
    assert "Melwin" not in decision.reason and "gäller inte" in decision.reason
    grants.rebuild()
    assert grants.stale_count() == 0
    assert grants.check()[1] == []
    assert not policy.decide(social, Action.READ, melwin).allowed


def test_periods_end_on_the_swedish_day_and_birthday():
    """A pure example: valid 1 to 10 March, signed 2 March 09:00, the young person turns
    15 on 5 March and signs on 7 March 12:00: covers from 2 March 09:00 to 5 March 00:00
    and from 7 March 12:00 to 11 March 00:00 (Swedish time)."""
    tz = timezone.get_current_timezone()

    def at(day, hour=0):
        return datetime.datetime(2025, 3, day, hour, tzinfo=tz)

    class Obj:
        def __init__(self, **kw):
            self.__dict__.update(kw)

    consent = Obj(
        valid_from=datetime.date(2025, 3, 1),
        valid_until=datetime.date(2025, 3, 10),
        context="voluntary",
        short_id="x",
    )
    givers = [
        Obj(kind="guardian", guardian_id=1, given_at=at(2, 9), revoked_at=None),
        Obj(kind="child", guardian_id=None, given_at=at(7, 12), revoked_at=None),
    ]
    found = grants.periods(
        consent=consent,
        givers=givers,
        custodies=[Obj(guardian_id=1)],
        involvements=[],
        party_ids={1, 2},
        child=Obj(date_of_birth=datetime.date(2010, 3, 5)),
        thresholds=rules.Thresholds(child_views_age=12, child_own_age=15),
    )
    assert found == [(at(2, 9), at(5)), (at(7, 12), at(11))]


@pytest.mark.django_db
def test_a_search_page_records_the_consent_each_child_was_shown_on(world, login, melwin_consent):
    """Sofia (social services) sees Melwin only on his consent: the search page's one
    audit row names him with that consent as the ground, found in one query for the
    whole page."""
    from samverkan.audit.models import AuditEvent

    melwin = world.children["melwin"]
    mark = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    response = login("sofia").post("/barn/", {"q": melwin.personal_number_display})
    assert response.status_code == 200
    assert [child for child, _age in response.context["rows"]] == [melwin]
    row = AuditEvent.objects.get(id__gt=mark, action="search")
    assert row.details["items"] == [
        [str(melwin.public_id), str(melwin.public_id), "consent", str(melwin_consent.public_id)]
    ]
