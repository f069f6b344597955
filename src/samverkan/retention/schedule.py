"""The retention schedule (``data/schedule.yaml``): one rule per record type, with the
decision it rests on. Loaded and checked once; an invalid file stops the command with
the reason rather than removing anything on a misread rule."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.core.exceptions import ImproperlyConfigured

PATH = Path(__file__).parent / "data" / "schedule.yaml"
THIN, KEEP, PARTITION = "thin", "keep", "partition"
ACTIONS = {THIN, KEEP, PARTITION}
ACTION_LABELS = {
    THIN: "Gallras",
    KEEP: "Bevaras",
    PARTITION: "Gallras per månad (hela partitioner)",
}


@dataclass(frozen=True)
class Rule:
    code: str
    record_type: str
    title: str
    action: str
    counted_from: str
    decision: str
    keep_years: int | None = None
    archive: bool = False
    includes: str = ""

    def cutoff(self, now: datetime.datetime) -> datetime.datetime:
        """Records whose clock started before this moment have passed their time."""
        years = self.keep_years or 0
        try:
            return now.replace(year=now.year - years)
        except ValueError:  # 29 February in a year that has none
            return now.replace(year=now.year - years, day=28)


@dataclass(frozen=True)
class Schedule:
    name: str
    version: str
    rules: tuple[Rule, ...]

    def rule(self, code: str) -> Rule:
        for rule in self.rules:
            if rule.code == code:
                return rule
        raise KeyError(code)


def _rule(row: dict) -> Rule:
    where = f"{PATH.name}: rule {row.get('code')!r}"
    required = ("code", "record_type", "title", "action", "counted_from", "decision")
    missing = [key for key in required if not str(row.get(key) or "").strip()]
    if missing:
        raise ImproperlyConfigured(f"{where} lacks {', '.join(missing)}")
    unknown = set(row) - {*required, "keep_years", "archive", "includes"}
    if unknown:
        raise ImproperlyConfigured(f"{where} has unknown keys {sorted(unknown)}")
    if row["action"] not in ACTIONS:
        raise ImproperlyConfigured(f"{where}: action must be one of {sorted(ACTIONS)}")
    years = row.get("keep_years")
    if row["action"] != KEEP and (not isinstance(years, int) or years < 1):
        raise ImproperlyConfigured(f"{where}: keep_years must be a whole number of years ≥ 1")
    return Rule(
        code=row["code"],
        record_type=row["record_type"],
        title=row["title"],
        action=row["action"],
        counted_from=row["counted_from"],
        decision=" ".join(str(row["decision"]).split()),
        keep_years=years if row["action"] != KEEP else None,
        archive=bool(row.get("archive", False)),
        includes=" ".join(str(row.get("includes") or "").split()),
    )


def parse(data: dict) -> Schedule:
    rules = tuple(_rule(row) for row in data.get("rules") or [])
    for attr in ("code", "record_type"):
        values = [getattr(r, attr) for r in rules]
        if len(values) != len(set(values)):
            raise ImproperlyConfigured(f"{PATH.name}: two rules share a {attr}")
    if not data.get("schedule") or not data.get("version"):
        raise ImproperlyConfigured(f"{PATH.name}: name the schedule and its version")
    return Schedule(name=data["schedule"], version=str(data["version"]), rules=rules)


@cache
def load() -> Schedule:
    with PATH.open(encoding="utf-8") as handle:
        return parse(yaml.safe_load(handle) or {})
