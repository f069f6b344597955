"""Whether one consent covers now: pure rules over already-loaded data, so that they
can be property-tested. Nothing here reads the database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy

from samverkan.core.i18n import lazy_format, lazy_join
from samverkan.people.identity import age_on

# Matters of these characters end the cover of consents given for voluntary support.
REPORT_OR_INVESTIGATION = {"report", "investigation"}


class State:
    """Why a consent covers or not, as a code (the words are built per viewer)."""

    COVERS = "covers"
    NOT_YET = "not_yet"
    EXPIRED = "expired"
    REVOKED = "revoked"
    NO_CUSTODIANS = "no_custodians"
    GUARDIAN_MISSING = "guardian_missing"
    CHILD_MUST_CONSENT = "child_must_consent"
    CONTEXT_LAPSED = "context_lapsed"


# States whose account uses only the consent's own dates: every party knows them.
PUBLIC_TO_PARTIES = {State.COVERS, State.NOT_YET, State.EXPIRED}


@dataclass(frozen=True)
class Coverage:
    covers: bool
    # Swedish, says exactly what is missing when covers is False. It may name the
    # guardians or tell that a matter changed character, so it is the account for the
    # organisations that hold those facts only: show it through ``sharing.explain``
    # (``access.explain.for_viewer``). The gate test keeps every other reader out.
    full_account: str
    needs_renewal: bool = False
    context_lapsed: bool = False
    state: str = State.COVERS
    # The organisations whose own matter changed character (CONTEXT_LAPSED): the only
    # ones that may be told why.
    changed_by: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Thresholds:
    child_views_age: int
    child_own_age: int


def _local_day(value: datetime.datetime | datetime.date) -> datetime.date:
    """The calendar day in the product's time zone: "now" and the times stored in the
    database are UTC, but a consent runs "till och med" a Swedish date."""
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _date(value: datetime.datetime) -> str:
    return f"{_local_day(value):%Y-%m-%d}"


def evaluate(
    *,
    consent,
    givers: list,
    custodies: list,
    involvements: list,
    party_ids: set[int],
    child,
    at: datetime.datetime,
    thresholds: Thresholds,
) -> Coverage:
    """Does ``consent`` cover sharing between its parties at ``at``?

    ``givers``: the consent's ConsentGiver rows; ``custodies``: the child's current
    Custody rows (with guardian); ``involvements``: the child's Involvement rows.
    """
    label = lazy_format(gettext_lazy("Samtycke %(id)s"), id=consent.short_id)
    day = _local_day(at)
    if consent.valid_from > day:
        return Coverage(
            False,
            lazy_format(
                gettext_lazy("%(label)s gäller först från %(date)s."),
                label=label,
                date=f"{consent.valid_from:%Y-%m-%d}",
            ),
            state=State.NOT_YET,
        )
    if consent.valid_until < day:
        return Coverage(
            False,
            lazy_format(
                gettext_lazy("%(label)s gick ut %(date)s."),
                label=label,
                date=f"{consent.valid_until:%Y-%m-%d}",
            ),
            needs_renewal=True,
            state=State.EXPIRED,
        )
    revoked = [g for g in givers if g.revoked_at is not None and g.revoked_at <= at]
    if revoked:
        first = min(revoked, key=lambda g: g.revoked_at)
        return Coverage(
            False,
            lazy_format(
                gettext_lazy("%(label)s återkallades %(date)s av %(name)s."),
                label=label,
                date=_date(first.revoked_at),
                name=first.name,
            ),
            state=State.REVOKED,
        )
    given = [g for g in givers if g.given_at <= at]
    given_guardians = {g.guardian_id for g in given if g.guardian_id is not None}
    missing = [c.guardian for c in custodies if c.guardian_id not in given_guardians]
    if not custodies:
        return Coverage(
            False,
            lazy_format(
                gettext_lazy(
                    "Barnets vårdnadshavare är inte registrerade, så %(label)s kan inte prövas."
                ),
                label=label,
            ),
            state=State.NO_CUSTODIANS,
        )
    if missing:
        names = lazy_join(gettext_lazy(" och "), [g.full_name for g in missing])
        return Coverage(
            False,
            lazy_format(
                gettext_lazy(
                    "%(label)s saknar samtycke från vårdnadshavare med vårdnad: %(names)s."
                ),
                label=label,
                names=names,
            ),
            needs_renewal=bool(given),
            state=State.GUARDIAN_MISSING,
        )
    age = age_on(child.date_of_birth, day)
    if age >= thresholds.child_own_age and not any(g.kind == "child" for g in given):
        return Coverage(
            False,
            lazy_format(
                gettext_lazy("%(first_name)s är %(age)s år och måste själv samtycka (%(label)s)."),
                first_name=child.first_name,
                age=age,
                label=label,
            ),
            needs_renewal=True,
            state=State.CHILD_MUST_CONSENT,
        )
    if consent.context == "voluntary":
        changed_by = frozenset(
            involvement.organisation_id
            for involvement in involvements
            if (
                involvement.organisation_id in party_ids
                and involvement.ended_at is None
                and involvement.context in REPORT_OR_INVESTIGATION
                and (involvement.context_since or involvement.started_at) <= at
            )
        )
        if changed_by:
            return Coverage(
                False,
                lazy_format(
                    gettext_lazy(
                        "%(label)s gavs i samband med frivilliga insatser. Ärendet har ändrat "
                        "karaktär och samtycket måste förnyas."
                    ),
                    label=label,
                ),
                needs_renewal=True,
                context_lapsed=True,
                state=State.CONTEXT_LAPSED,
                changed_by=changed_by,
            )
    return Coverage(
        True,
        lazy_format(
            gettext_lazy("%(label)s gäller till %(date)s."),
            label=label,
            date=f"{consent.valid_until:%Y-%m-%d}",
        ),
    )
