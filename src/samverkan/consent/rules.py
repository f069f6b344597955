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


@dataclass(frozen=True)
class Coverage:
    covers: bool
    reason: str  # Swedish, says exactly what is missing when covers is False
    needs_renewal: bool = False
    context_lapsed: bool = False


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
                gettext_lazy("%(label)s gäller först från %(valid_from)s."),
                label=label,
                valid_from=format(consent.valid_from, "%Y-%m-%d"),
            ),
        )
    if consent.valid_until < day:
        return Coverage(
            False, f"{label} gick ut {consent.valid_until:%Y-%m-%d}.", needs_renewal=True
        )
    revoked = [g for g in givers if g.revoked_at is not None and g.revoked_at <= at]
    if revoked:
        first = min(revoked, key=lambda g: g.revoked_at)
        return Coverage(
            False,
            lazy_format(
                gettext_lazy("%(label)s återkallades %(value)s av %(name)s."),
                label=label,
                value=_date(first.revoked_at),
                name=first.name,
            ),
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
        )
    if consent.context == "voluntary":
        for involvement in involvements:
            if (
                involvement.organisation_id in party_ids
                and involvement.ended_at is None
                and involvement.context in REPORT_OR_INVESTIGATION
                and (involvement.context_since or involvement.started_at) <= at
            ):
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
                )
    return Coverage(
        True,
        lazy_format(
            gettext_lazy("%(label)s gäller till %(valid_until)s."),
            label=label,
            valid_until=format(consent.valid_until, "%Y-%m-%d"),
        ),
    )
