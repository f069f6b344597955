"""The crime-prevention situation picture ("lägesbild", lag (2023:196) om kommuners
ansvar för brottsförebyggande arbete): the aggregate figures the municipality's
samordningsfunktion can use, for a period the strategy group picks.

Which figures: data/crime_prevention.yaml, by indicator code (indicators.py). Each is
computed exactly as a plan's indicator is (plan_selectors.series): per month and group,
small cells shown as "<5", nothing that links to a child. Every extract (page, Excel,
CSV) writes one audit row.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.utils import timezone, translation

from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core.errors import PermissionDenied, ValidationFailed

from . import indicators, plan_selectors, plan_services, policies, reports
from .models import Indicator

DATA = Path(__file__).parent / "data" / "crime_prevention.yaml"
RESOURCE = "governance.crime_prevention"
# A longer period would mean very many columns of months and slow counting.
MAX_MONTHS = 36
TITLE = "Lägesbild för brottsförebyggande arbete"


@dataclass(frozen=True)
class Item:
    code: str
    explanation: dict[str, str]  # language code -> text

    @property
    def definition(self) -> indicators.Definition:
        return indicators.get(self.code)

    def explain(self) -> str:
        language = (translation.get_language() or "sv")[:2]
        return self.explanation.get(language) or self.explanation["sv"]


@cache
def items() -> tuple[Item, ...]:
    """The figures of the data file; a code the registry does not know is an error in
    the file and fails loudly (a test reads it)."""
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    out = []
    for entry in data["figures"]:
        if indicators.get(entry["code"]) is None:
            raise ValueError(f"{DATA.name}: unknown indicator {entry['code']!r}")
        out.append(Item(entry["code"], dict(entry["explanation"])))
    return tuple(out)


@dataclass(frozen=True)
class Extract:
    start: datetime.date
    end: datetime.date
    figures: list[tuple[Item, plan_selectors.Series, dict]]  # (item, series, as shown)


def check_period(start, end) -> tuple[datetime.date, datetime.date]:
    start, end = plan_services.check_period(start, end)
    if len(plan_selectors.months(start, end)) > MAX_MONTHS:
        raise ValidationFailed(f"Välj en period på högst {MAX_MONTHS} månader.", field="period_end")
    return start, end


def extract(actor: Actor, start, end, *, action: str = Action.READ) -> Extract:
    """The figures for ``[start, end)``; the strategy group only. One audit row."""
    if not policies.is_strategy_group(actor):
        raise PermissionDenied("Bara strategigruppen tar ut lägesbilden.")
    start, end = check_period(start, end)
    figures = []
    for item in items():
        definition = item.definition
        # An unsaved indicator: the same computation and suppression as a plan's.
        indicator = Indicator(
            name=definition.name,
            definition=definition.code,
            unit=definition.unit,
            period_start=start,
            period_end=end,
        )
        series = plan_selectors.series(indicator)
        shown = reports.as_figure(series, name=definition.name, description=definition.description)
        figures.append((item, series, shown))
    audit.event_record(
        actor=actor,
        action=action,
        resource_type=RESOURCE,
        resource_id=f"{start:%Y-%m-%d}/{end:%Y-%m-%d}",
        ground=policies.STRATEGY_GROUP,
        details={"period_start": f"{start:%Y-%m-%d}", "period_end": f"{end:%Y-%m-%d}"},
    )
    return Extract(start, end, figures)


def _period(ex: Extract) -> str:
    return f"{ex.start:%Y-%m-%d} – {ex.end:%Y-%m-%d} (slutdatum ingår inte)"


def workbook(ex: Extract, actor: Actor) -> bytes:
    front = [
        ("Rapport", TITLE),
        ("Period", _period(ex)),
        ("Uttaget", f"{timezone.localtime():%Y-%m-%d %H:%M}"),
        ("Uttaget av", actor.label),
        ("Om siffrorna", reports.ABOUT_FIGURES + " Inga uppgifter om enskilda barn."),
    ]
    return reports.figures_workbook(front, [shown for _, _, shown in ex.figures])


def _cell(text: str) -> str:
    # A spreadsheet would run a cell starting with one of these as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def csv_text(ex: Extract) -> str:
    """One line per figure, month and group: figure, month, group, value as shown."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Indikator", "Kod", "Månad", "Grupp", "Värde"])
    for item, _, shown in ex.figures:
        for row in shown["rows"]:
            for group, cell in zip(shown["groups"], row["cells"], strict=True):
                writer.writerow([shown["name"], item.code, row["month"], _cell(group), cell])
            writer.writerow([shown["name"], item.code, row["month"], "Totalt", row["total"]])
    return out.getvalue()
