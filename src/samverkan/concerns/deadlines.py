"""Deadline rules for reports of concern. Pure functions over dates, so that they can
be property-tested; nothing here reads the database.

- The written report after an oral one: a number of *working days* (configurable,
  default 2). Weekends and Swedish public holidays (and, by default, Midsummer Eve,
  Christmas Eve and New Year's Eve) are not working days.
- The preliminary assessment (förhandsbedömning): 14 *calendar* days from arrival
  (old SoL 11 kap. 1 a §, new SoL (2025:400) 20 kap. 2 §).
- The investigation: 4 *months* from its start (old SoL 11 kap. 2 §); a month is a
  calendar month, ending on the same day number or the month's last day.

References are in settings (SAMVERKAN["CONCERN_LAW"]), not here.
"""

from __future__ import annotations

import calendar
import datetime
from functools import lru_cache

import holidays

OVERDUE = "overdue"
DUE_SOON = "due_soon"
ON_TIME = "on_time"


@lru_cache(maxsize=64)
def _holidays(year: int, eves_off: bool) -> frozenset[datetime.date]:
    days = set(holidays.Sweden(years=year, include_sundays=False).keys())
    if eves_off:
        midsummer = next(
            d
            for d, name in holidays.Sweden(years=year, language="en_US").items()
            if name == "Midsummer Day"
        )
        days |= {
            midsummer - datetime.timedelta(days=1),
            datetime.date(year, 12, 24),
            datetime.date(year, 12, 31),
        }
    return frozenset(days)


def is_working_day(day: datetime.date, *, eves_off: bool = True) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year, eves_off)


def add_working_days(start: datetime.date, days: int, *, eves_off: bool = True) -> datetime.date:
    """The day ``days`` working days after ``start`` (``start`` itself not counted,
    whether or not it is a working day)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        if is_working_day(day, eves_off=eves_off):
            remaining -= 1
    return day


def add_months(start: datetime.date, months: int) -> datetime.date:
    """Same day number ``months`` later, or that month's last day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def preliminary_due(arrived: datetime.date, days: int = 14) -> datetime.date:
    return arrived + datetime.timedelta(days=days)


def investigation_due(started: datetime.date, months: int = 4) -> datetime.date:
    return add_months(started, months)


def status(due: datetime.date | None, today: datetime.date, soon_days: int = 3) -> str:
    """Overdue after the due day has passed; due soon within ``soon_days`` of it."""
    if due is None:
        return ON_TIME
    if today > due:
        return OVERDUE
    if (due - today).days <= soon_days:
        return DUE_SOON
    return ON_TIME
