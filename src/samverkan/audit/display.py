"""How loggkontroll shows audit rows: record types in Swedish (data/record_types.yaml)
and repeated identical rows folded into one with a count."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data" / "record_types.yaml"

# Rows by the same user, with the same action and outcome, on the same record and
# person, this close to the previous one are shown as one row with a count.
REPEAT_WINDOW = datetime.timedelta(minutes=10)


@cache
def _record_types() -> dict[str, str]:
    with DATA.open(encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle))


class _RecordTypes:
    def __contains__(self, key) -> bool:
        return key in _record_types()

    def get(self, key, default=None):
        return _record_types().get(key, default)


RECORD_TYPES = _RecordTypes()


def record_type(code: str) -> str:
    """The Swedish name of a record type; an unknown one shown as it is."""
    return _record_types().get(code, code)


@dataclass
class LogLine:
    """One shown line: the newest row of a run of identical rows, how many rows, and
    when the run began."""

    row: object
    count: int = 1
    first_at: datetime.datetime | None = None

    @property
    def record_type(self) -> str:
        return record_type(self.row.resource_type)


def _key(row) -> tuple:
    return (
        row.actor_username,
        row.actor_organisation_id,
        row.action,
        row.outcome,
        row.resource_type,
        row.resource_id,
        row.subject_id,
        row.ground_code,
    )


def fold(rows, window: datetime.timedelta = REPEAT_WINDOW) -> list[LogLine]:
    """Fold runs of identical rows (newest first, as read), each within ``window`` of the
    previous one, into one line with a count."""
    lines: list[LogLine] = []
    previous_key = None
    for row in rows:
        key = _key(row)
        last = lines[-1] if lines else None
        if (
            last is not None
            and key == previous_key
            and (last.first_at or last.row.occurred_at) - row.occurred_at <= window
        ):
            last.count += 1
            last.first_at = row.occurred_at
        else:
            lines.append(LogLine(row=row))
        previous_key = key
    return lines
