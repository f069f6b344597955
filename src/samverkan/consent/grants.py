"""Sharing grants: when each consent covers, as rows the database can search
(decision 0090).

``rules.evaluate`` answers "does this consent cover at moment T" for one consent in
Python. Lists cannot ask it child by child, so the same rules are turned into periods:
a consent covers on ``[from, until)`` (at most two periods, see ``periods``), and one
``SharingGrant`` row per party organisation and period says so. "May organisation B
see child X now?" is then an index lookup, and a list of children is narrowed with an
``EXISTS`` on the grants — both checked against the clock at query time.

Every input of the rules is a row in the database, so the grants are recomputed for a
child (``refresh``) in the same transaction as every change of one of them: the consent
services call it directly (give, sign, revoke); the people services through
``people.changes`` (custody, a matter started, ended or changing character). The
passing of time needs no event: expiry, the young person's birthday and a consent
starting later are ends and starts of periods already stored.

``rebuild`` recomputes every grant (after a change of SAMVERKAN["CONSENT_CHILD_OWN_AGE"]);
``check`` compares the rows with the rules engine itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from samverkan.people import selectors as people

from . import rules
from .models import Consent, ConsentParty, SharingGrant

ONE_MICROSECOND = datetime.timedelta(microseconds=1)


def own_age() -> int:
    return settings.SAMVERKAN["CONSENT_CHILD_OWN_AGE"]


def _midnight(day: datetime.date) -> datetime.datetime:
    """The start of a Swedish calendar day, as ``rules`` counts days."""
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min), timezone.get_current_timezone()
    )


def birthday(date_of_birth: datetime.date, age: int) -> datetime.date:
    """The first day on which ``people.identity.age_on`` gives ``age`` (someone born on
    29 February turns a year older on 1 March in other years)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + age)
    except ValueError:
        return datetime.date(date_of_birth.year + age, 3, 1)


def periods(
    *,
    consent,
    givers: list,
    custodies: list,
    involvements: list,
    party_ids: set[int],
    child,
    thresholds: rules.Thresholds,
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The half-open periods ``[from, until)`` in which ``rules.evaluate`` (given the
    same arguments) says that ``consent`` covers. Each rule of ``evaluate`` is a bound:

    - valid from / until (Swedish calendar days): the outer period;
    - a revocation by any giver: ends the period;
    - every guardian with custody (as the registering organisation recorded them) must
      have signed: starts at the last of their signatures; none at all without them;
    - a consent given for voluntary support ends when a party's open matter became a
      report or an investigation;
    - from the birthday at which the young person's own consent is needed, the consent
      covers only from the young person's own signature on: a gap when the signature
      comes after the birthday, hence up to two periods.
    """
    start = _midnight(consent.valid_from)
    end = _midnight(consent.valid_until + datetime.timedelta(days=1))
    revocations = [g.revoked_at for g in givers if g.revoked_at is not None]
    if revocations:
        end = min(end, *revocations)
    if not custodies:
        return []
    signed = {g.guardian_id: g.given_at for g in givers if g.guardian_id is not None}
    for custody in custodies:
        if custody.guardian_id not in signed:
            return []
        start = max(start, signed[custody.guardian_id])
    if consent.context == "voluntary":
        for involvement in involvements:
            if (
                involvement.organisation_id in party_ids
                and involvement.ended_at is None
                and involvement.context in rules.REPORT_OR_INVESTIGATION
            ):
                end = min(end, involvement.context_since or involvement.started_at)
    own_from = _midnight(birthday(child.date_of_birth, thresholds.child_own_age))
    own_signed = min((g.given_at for g in givers if g.kind == "child"), default=None)
    if own_signed is not None and own_signed <= own_from:
        candidates = [(start, end)]
    else:
        candidates = [(start, min(end, own_from))]
        if own_signed is not None:
            candidates.append((max(start, own_signed), end))
    return [(a, b) for a, b in candidates if a < b]


def _thresholds() -> rules.Thresholds:
    conf = settings.SAMVERKAN
    return rules.Thresholds(
        child_views_age=conf["CONSENT_CHILD_VIEWS_AGE"], child_own_age=conf["CONSENT_CHILD_OWN_AGE"]
    )


@dataclass
class _Facts:
    children: dict[int, object]
    custodies: dict[int, list]
    involvements: dict[int, list]


def _load(child_ids: list[int], *, lock: bool) -> tuple[list[Consent], _Facts]:
    children = (people.system_children_locked if lock else people.system_children)(child_ids)
    consents = list(
        Consent.objects.filter(child_id__in=child_ids)
        .prefetch_related("givers", "party_links")
        .order_by("pk")
    )
    if not consents:
        return [], _Facts({c.pk: c for c in children}, {}, {})
    # The set once, not once per child: built inside the comprehension it made every
    # batch cost (children times consents) attribute reads (decision 0365).
    consenting = {x.child_id for x in consents}
    with_consent = [c for c in children if c.pk in consenting]
    return consents, _Facts(
        children={c.pk: c for c in children},
        custodies=people.system_custodies_many(with_consent),
        involvements=people.system_involvements_many(with_consent),
    )


def _consent_periods(consent: Consent, facts: _Facts, thresholds: rules.Thresholds):
    party_ids = {p.organisation_id for p in consent.party_links.all()}
    found = periods(
        consent=consent,
        givers=list(consent.givers.all()),
        custodies=[
            c
            for c in facts.custodies.get(consent.child_id, [])
            if c.guardian.organisation_id == consent.registered_by_organisation_id
        ],
        involvements=facts.involvements.get(consent.child_id, []),
        party_ids=party_ids,
        child=facts.children[consent.child_id],
        thresholds=thresholds,
    )
    return party_ids, found


def _rows(consents: list[Consent], facts: _Facts) -> list[SharingGrant]:
    thresholds = _thresholds()
    rows = []
    for consent in consents:
        party_ids, found = _consent_periods(consent, facts, thresholds)
        rows += [
            SharingGrant(
                consent_id=consent.pk,
                child_id=consent.child_id,
                organisation_id=org_id,
                valid_from=start,
                valid_until=end,
                own_age=thresholds.child_own_age,
            )
            for start, end in found
            for org_id in sorted(party_ids)
        ]
    return rows


def refresh(child_ids: Iterable[int]) -> None:
    """Recompute the grants of these children from the current facts. Runs inside the
    caller's transaction; the children are locked first, so two transactions changing
    facts about one child recompute one after the other, each from committed facts."""
    ids = sorted(set(child_ids))
    if not ids:
        return
    with transaction.atomic():
        consents, facts = _load(ids, lock=True)
        SharingGrant.objects.filter(child_id__in=ids).delete()
        if consents:
            SharingGrant.objects.bulk_create(_rows(consents, facts), batch_size=1000)


def _child_batches(batch_size: int) -> Iterator[list[int]]:
    last = 0
    while True:
        ids = list(
            Consent.objects.filter(child_id__gt=last)
            .order_by("child_id")
            .values_list("child_id", flat=True)
            .distinct()[:batch_size]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def rebuild(*, batch_size: int = 1000) -> int:
    """Recompute every grant, in batches of children (one transaction each). Returns
    the number of rows written."""
    written = 0
    SharingGrant.objects.exclude(child_id__in=Consent.objects.values("child_id")).delete()
    for ids in _child_batches(batch_size):
        with transaction.atomic():
            consents, facts = _load(ids, lock=False)
            rows = _rows(consents, facts)
            SharingGrant.objects.filter(child_id__in=ids).delete()
            SharingGrant.objects.bulk_create(rows, batch_size=1000)
            written += len(rows)
    return written


@dataclass(frozen=True)
class Mismatch:
    consent_public_id: str
    at: datetime.datetime
    rules_say: bool
    grants_say: bool


def check(*, at: datetime.datetime | None = None, batch_size: int = 1000) -> tuple[int, list]:
    """Ask the rules engine itself, for every consent, at ``at`` (now) and around every
    start and end of its periods (as computed now and as stored), whether it covers,
    and compare with the stored rows. Returns (consents checked, mismatches)."""
    at = at or timezone.now()
    thresholds = _thresholds()
    checked = 0
    mismatches: list[Mismatch] = []
    for ids in _child_batches(batch_size):
        consents, facts = _load(ids, lock=False)
        stored: dict[int, list[SharingGrant]] = {}
        for grant in SharingGrant.objects.filter(
            child_id__in=ids, own_age=thresholds.child_own_age
        ):
            stored.setdefault(grant.consent_id, []).append(grant)
        for consent in consents:
            checked += 1
            party_ids, found = _consent_periods(consent, facts, thresholds)
            rows = stored.get(consent.pk, [])
            moments = {at}
            for start, end in found + [(g.valid_from, g.valid_until) for g in rows]:
                moments |= {start - ONE_MICROSECOND, start, end - ONE_MICROSECOND, end}
            coverage_facts = _coverage_facts(consent, facts)
            for moment in sorted(moments):
                rules_say = rules.evaluate(
                    at=moment, thresholds=thresholds, **coverage_facts
                ).covers
                holders = {
                    g.organisation_id for g in rows if g.valid_from <= moment < g.valid_until
                }
                # Covering: a row for every party; not covering: none (never some).
                if holders != (party_ids if rules_say else set()):
                    mismatches.append(
                        Mismatch(str(consent.public_id), moment, rules_say, bool(holders))
                    )
    return checked, mismatches


def _coverage_facts(consent: Consent, facts: _Facts) -> dict:
    return {
        "consent": consent,
        "givers": list(consent.givers.all()),
        "custodies": [
            c
            for c in facts.custodies.get(consent.child_id, [])
            if c.guardian.organisation_id == consent.registered_by_organisation_id
        ],
        "involvements": facts.involvements.get(consent.child_id, []),
        "party_ids": {p.organisation_id for p in consent.party_links.all()},
        "child": facts.children[consent.child_id],
    }


def stale_count() -> int:
    """Rows computed with another age threshold than the configured one."""
    return SharingGrant.objects.exclude(own_age=own_age()).count()


# Queries ---------------------------------------------------------------------------


def current(at: datetime.datetime | None = None) -> Q:
    """Grants in force at ``at`` (now), computed with the configured threshold."""
    at = at or timezone.now()
    return Q(valid_from__lte=at, valid_until__gt=at, own_age=own_age())


def children_condition(organisation_id: int, at: datetime.datetime | None = None) -> Exists:
    """For ``Child`` querysets: a consent naming the organisation covers the child."""
    return Exists(
        SharingGrant.objects.filter(
            current(at), child_id=OuterRef("pk"), organisation_id=organisation_id
        )
    )


def covering(child_id: int, organisation_id: int, at=None) -> Consent | None:
    """The newest consent naming the organisation that covers the child at ``at``."""
    grant = (
        SharingGrant.objects.filter(current(at), child_id=child_id, organisation_id=organisation_id)
        .select_related("consent")
        .order_by("-consent__created_at", "-consent_id")
        .first()
    )
    return grant.consent if grant else None


def covering_many(child_ids: list[int], organisation_id: int, at=None) -> dict[int, Consent]:
    """``covering`` for several children in one query: child id -> consent."""
    found: dict[int, Consent] = {}
    for grant in (
        SharingGrant.objects.filter(
            current(at), child_id__in=child_ids, organisation_id=organisation_id
        )
        .select_related("consent")
        .order_by("-consent__created_at", "-consent_id")
    ):
        found.setdefault(grant.child_id, grant.consent)
    return found


def covering_sharing(
    *,
    child_id: int,
    from_organisation_id: int,
    to_organisation_id: int,
    category_id: int,
    purpose_id: int | None,
    at: datetime.datetime,
) -> Consent | None:
    """The newest consent naming both organisations, the category and (when given) the
    purpose, that covers at ``at``; ``None`` if there is none."""
    both = SharingGrant.objects.filter(
        current(at), consent_id=OuterRef("consent_id"), organisation_id=from_organisation_id
    )
    qs = SharingGrant.objects.filter(
        current(at),
        Exists(both),
        child_id=child_id,
        organisation_id=to_organisation_id,
        consent__categories=category_id,
    )
    if purpose_id is not None:
        qs = qs.filter(consent__purposes=purpose_id)
    grant = qs.select_related("consent").order_by("-consent__created_at", "-consent_id").first()
    return grant.consent if grant else None


def names_organisation(child_id: int, organisation_id: int) -> bool:
    """Whether any consent about the child names the organisation (whatever its state)."""
    return ConsentParty.objects.filter(
        consent__child_id=child_id, organisation_id=organisation_id
    ).exists()
