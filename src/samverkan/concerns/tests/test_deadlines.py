"""The deadline rules, property-tested over arrival dates, weekends, Swedish public
holidays and extensions."""

from __future__ import annotations

import datetime
from functools import cache

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.concerns import deadlines

dates = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2035, 12, 31))


@cache
def _official_days(year: int) -> frozenset:
    return frozenset(holidays.Sweden(years=year, include_sundays=False))


def _official(day: datetime.date) -> bool:
    return day in _official_days(day.year)


@settings(deadline=None)
@given(dates, st.integers(min_value=0, max_value=30))
def test_working_days_land_on_a_working_day_and_count_exactly(start, n):
    due = deadlines.add_working_days(start, n)
    assert due >= start
    between = [start + datetime.timedelta(days=i) for i in range(1, (due - start).days + 1)]
    assert sum(deadlines.is_working_day(d) for d in between) == n
    if n:
        assert deadlines.is_working_day(due)
        assert due.weekday() < 5
        assert not _official(due)


@settings(deadline=None)
@given(dates, st.integers(min_value=0, max_value=20))
def test_working_days_are_monotonic(start, n):
    assert deadlines.add_working_days(start, n) <= deadlines.add_working_days(start, n + 1)


def test_known_holiday_periods():
    # Wednesday before Christmas: the 24th, 25th, 26th and the weekend are not counted.
    assert deadlines.add_working_days(datetime.date(2026, 12, 23), 2) == datetime.date(2026, 12, 29)
    # Thursday before Midsummer: Midsummer Eve (Friday) is a day off by default.
    assert deadlines.add_working_days(datetime.date(2026, 6, 18), 2) == datetime.date(2026, 6, 23)
    assert deadlines.add_working_days(
        datetime.date(2026, 6, 18), 2, eves_off=False
    ) == datetime.date(2026, 6, 22)
    # Friday: Monday and Tuesday.
    assert deadlines.add_working_days(datetime.date(2026, 11, 20), 2) == datetime.date(2026, 11, 24)
    # Maundy Thursday 2026: Good Friday and Easter Monday are holidays.
    assert deadlines.add_working_days(datetime.date(2026, 4, 2), 1) == datetime.date(2026, 4, 7)


@settings(deadline=None)
@given(dates)
def test_preliminary_assessment_is_fourteen_calendar_days(arrived):
    due = deadlines.preliminary_due(arrived)
    assert (due - arrived).days == 14
    assert deadlines.status(due, due) != deadlines.OVERDUE
    assert deadlines.status(due, due + datetime.timedelta(days=1)) == deadlines.OVERDUE


@settings(deadline=None)
@given(dates, st.integers(min_value=1, max_value=24))
def test_investigation_months_are_calendar_months(started, months):
    due = deadlines.add_months(started, months)
    assert (due.year - started.year) * 12 + due.month - started.month == months
    assert due.day <= started.day
    if due.day < started.day:  # clamped to the end of a shorter month
        assert (due + datetime.timedelta(days=1)).day == 1


@settings(deadline=None)
@given(dates, st.lists(st.integers(min_value=1, max_value=60), max_size=4))
def test_investigation_extensions_only_move_the_deadline_later(started, extensions):
    due = deadlines.investigation_due(started)
    assert due == deadlines.add_months(started, 4)
    assert 119 <= (due - started).days <= 123
    for days in extensions:
        extended = due + datetime.timedelta(days=days)
        assert extended > due
        due = extended


@settings(deadline=None)
@given(dates, dates, st.integers(min_value=0, max_value=10))
def test_status(due, today, soon):
    result = deadlines.status(due, today, soon)
    if today > due:
        assert result == deadlines.OVERDUE
    elif (due - today).days <= soon:
        assert result == deadlines.DUE_SOON
    else:
        assert result == deadlines.ON_TIME
