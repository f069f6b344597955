"""Reads of the strategy plan and its indicators. A plan is not personal data: every
member of staff may read it. Indicator figures are aggregates per month with small
cells suppressed (indicators.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from samverkan.access.actor import Actor
from samverkan.core.errors import NotFound

from . import indicators, policies
from .models import Activity, FocusArea, Indicator, IndicatorValue, StrategyPlan


def _require_member(actor: Actor) -> None:
    if not actor.has_membership:
        raise NotFound("Strategiplanen finns inte.")


def plan_list(actor: Actor) -> QuerySet[StrategyPlan]:
    _require_member(actor)
    return StrategyPlan.objects.all()


def plan_get(actor: Actor, public_id) -> StrategyPlan:
    _require_member(actor)
    try:
        return (
            StrategyPlan.objects.select_related("decision_forum", "agreement")
            .prefetch_related(
                "goals",
                Prefetch(
                    "focus_areas",
                    queryset=FocusArea.objects.prefetch_related(
                        Prefetch(
                            "activities",
                            queryset=Activity.objects.select_related(
                                "owner_organisation", "owner_function"
                            ),
                        )
                    ),
                ),
                Prefetch("indicators", queryset=Indicator.objects.select_related("goal")),
            )
            .get(public_id=public_id)
        )
    except (StrategyPlan.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound("Strategiplanen finns inte.") from exc


def indicator_get(actor: Actor, plan: StrategyPlan, public_id) -> Indicator:
    try:
        return Indicator.objects.select_related("goal").get(plan=plan, public_id=public_id)
    except (Indicator.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound("Indikatorn finns inte.") from exc


def may_edit(actor: Actor) -> bool:
    return policies.is_strategy_group(actor)


def months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of every month that begins in ``[start, end)``, from ``start``'s."""
    out = []
    month = start.replace(day=1)
    while month < end:
        out.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return out


@dataclass(frozen=True)
class Row:
    month: datetime.date
    cells: list[indicators.Figure]  # one per group, in ``Series.groups`` order
    total: indicators.Figure


@dataclass(frozen=True)
class Series:
    indicator: Indicator
    definition: indicators.Definition | None
    unit: str
    groups: list[tuple[str, str]]  # (code, label); one ("", name) for an ungrouped series
    rows: list[Row]
    start: datetime.date
    end: datetime.date

    @property
    def latest(self) -> Row | None:
        return self.rows[-1] if self.rows else None

    @property
    def grouped(self) -> bool:
        return len(self.groups) > 1 or (bool(self.groups) and self.groups[0][0] != "")

    def summary(self) -> str:
        """A text alternative for a chart: the period, the first and last shown figure,
        the target, and how many months were suppressed."""
        if not self.rows:
            return "Det finns inga värden för perioden."
        first, last = self.rows[0], self.rows[-1]
        suppressed = sum(1 for r in self.rows if r.total.suppressed)
        parts = [
            f"{self.indicator.name}, {first.month:%Y-%m} till {last.month:%Y-%m}:",
            f"första månaden {first.total.text}, senaste månaden {last.total.text}.",
        ]
        shown = [r.total.value for r in self.rows if r.total.value is not None]
        if shown:
            unit = " %" if self.unit == indicators.SHARE else ""
            parts.append(f"Lägst {_fmt(min(shown))}{unit}, högst {_fmt(max(shown))}{unit}.")
        if self.indicator.target is not None:
            unit = " %" if self.unit == indicators.SHARE else ""
            parts.append(f"Målet är {_fmt(self.indicator.target)}{unit}.")
        if suppressed:
            parts.append(f"{suppressed} månader hade färre än fem och visas som <5.")
        return " ".join(parts)


def _fmt(value) -> str:
    value = Decimal(str(value))
    return f"{value:.0f}" if value == value.to_integral() else f"{value:.1f}".replace(".", ",")


def series(
    indicator: Indicator, *, today: datetime.date | None = None, start=None, end=None
) -> Series:
    """The indicator's figures per month over its period (up to this month)."""
    today = today or timezone.localdate()
    start = start or indicator.period_start
    end = min(
        end or indicator.period_end,
        (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1),
    )
    month_list = months(start, end)
    definition = indicators.get(indicator.definition) if indicator.definition else None
    if definition is None:
        return _manual(indicator, month_list, start, end)
    data: dict[tuple[datetime.date, str], tuple[int, int | None]] = {}
    for month, group, numerator, denominator in definition.compute(start.replace(day=1), end):
        data[(month, group)] = (numerator, denominator)
    labels = definition.group_labels()
    codes = sorted({g for _, g in data}, key=lambda g: str(labels.get(g, g)))
    groups = [(g, str(labels.get(g, g) or indicator.name)) for g in codes] or [("", indicator.name)]
    rows = []
    for month in month_list:
        cells = []
        total_n, total_d = 0, 0
        for code, _ in groups:
            n, d = data.get((month, code), (0, 0 if definition.unit == indicators.SHARE else None))
            cells.append(indicators.figure(definition, n, d))
            total_n += n
            total_d += d or 0
        total = indicators.figure(definition, total_n, total_d)
        if len(groups) > 1 and sum(c.suppressed for c in cells) == 1 and not total.suppressed:
            # The one hidden cell could be worked out as the total minus the others.
            total = indicators.HIDDEN
        rows.append(Row(month, cells, total))
    return Series(indicator, definition, definition.unit, groups, rows, start, end)


def _manual(indicator, month_list, start, end) -> Series:
    values = {
        v.month: v.value
        for v in IndicatorValue.objects.filter(indicator=indicator, month__in=month_list)
    }
    rows = []
    for month in month_list:
        if month not in values:
            continue
        value = values[month]
        if indicator.unit == indicators.SHARE:
            fig = indicators.Figure(f"{_fmt(value)} %", float(value))
        elif value == value.to_integral():
            fig = indicators.suppress(int(value))
        else:
            fig = indicators.Figure(_fmt(value), float(value))
        rows.append(Row(month, [fig], fig))
    return Series(indicator, None, indicator.unit, [("", indicator.name)], rows, start, end)
