"""Monthly partitions of the audit log on PostgreSQL (decision 0102).

``audit_auditevent`` is partitioned by ``RANGE (occurred_at)`` and ``audit_auditseal``
by ``RANGE (event_occurred_at)`` (the row's own time, copied into its link), one
partition per calendar month in UTC, named ``audit_auditevent_p2026_11`` and
``audit_auditseal_p2026_11``. A row and its link are always in the same month, so one
month can be verified, archived or (after the retention period) dropped on its own.

Partitions are created ahead of time by the database function
``audit_partitions_ensure(from, to)`` (migration ``audit/0004``), which runs with the
owner's rights (the application role may not create tables), gives each new partition
its TRUNCATE trigger, and takes UPDATE, DELETE and TRUNCATE away from every role but the
owner. The sealer calls it once an hour for the previous month up to ``AHEAD_MONTHS``
ahead; ``samverkan audit partitions`` shows and creates them by hand. Should a row
still arrive for a coming month without a partition (the sealer stopped for months, the
clock jumped), the writer creates that month and writes again (``write_healing``).
There is no default partition: a row for a month long past is refused loudly rather
than filed where it cannot be moved from (an append-only table).

SQLite keeps one table of each; every function here is then a no-op.
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

EVENT_TABLE = "audit_auditevent"
SEAL_TABLE = "audit_auditseal"
AHEAD_MONTHS = 3
_ENSURE_EVERY = 3600.0  # seconds between the sealer's checks, per process
_last_ensured: dict[str, float] = {}


@dataclass(frozen=True)
class Segment:
    """What verify checks in one go: a month's events and links (or the whole tables
    when the log is not partitioned)."""

    event_table: str
    seal_table: str
    label: str


def is_partitioned(using: str = DEFAULT_DB_ALIAS) -> bool:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [EVENT_TABLE])
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


@dataclass(frozen=True)
class Partition:
    suffix: str  # p2026_11
    starts: datetime.datetime
    ends: datetime.datetime
    events: int  # the planner's estimate (exact after ANALYZE), -1 when never analysed
    seals: int
    bytes: int

    @property
    def label(self) -> str:
        return f"{self.starts:%Y-%m}"


def partitions(using: str = DEFAULT_DB_ALIAS) -> list[Partition]:
    """The month partitions, oldest first, with estimated row counts and size."""
    if not is_partitioned(using):
        return []
    sql = """
        SELECT substr(c.relname, length(%(event)s) + 2) AS suffix,
               c.reltuples::bigint, s.reltuples::bigint,
               pg_total_relation_size(c.oid) + coalesce(pg_total_relation_size(s.oid), 0),
               pg_get_expr(c.relpartbound, c.oid)
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        LEFT JOIN pg_class s
          ON s.relname = %(seal)s || '_' || substr(c.relname, length(%(event)s) + 2)
        WHERE i.inhparent = to_regclass(%(event)s)
        ORDER BY 1
    """
    with connections[using].cursor() as cursor:
        cursor.execute(sql, {"event": EVENT_TABLE, "seal": SEAL_TABLE})
        rows = cursor.fetchall()
    result = []
    for suffix, events, seals, size, _bound in rows:
        year, month = int(suffix[1:5]), int(suffix[6:8])
        starts = datetime.datetime(year, month, 1, tzinfo=datetime.UTC)
        ends = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=datetime.UTC)
        result.append(Partition(suffix, starts, ends, int(events), int(seals or 0), int(size)))
    return result


def segments(using: str = DEFAULT_DB_ALIAS) -> list[Segment]:
    """The units verify works on: one per month partition, or the whole tables."""
    found = partitions(using)
    if not found:
        return [Segment(EVENT_TABLE, SEAL_TABLE, "")]
    # Largest first, so that parallel workers finish together.
    found.sort(key=lambda p: -max(p.events, 0))
    return [
        Segment(f"{EVENT_TABLE}_{p.suffix}", f"{SEAL_TABLE}_{p.suffix}", p.label) for p in found
    ]


def ensure(
    using: str = DEFAULT_DB_ALIAS,
    *,
    starts: datetime.datetime | None = None,
    ends: datetime.datetime | None = None,
) -> list[str]:
    """Create the month partitions from ``starts`` to ``ends`` (default: the previous
    month to ``AHEAD_MONTHS`` ahead) that do not exist yet. Returns the tables created."""
    if not is_partitioned(using):
        return []
    now = datetime.datetime.now(datetime.UTC)
    starts = starts or now - datetime.timedelta(days=31)
    ends = ends or now + datetime.timedelta(days=31 * AHEAD_MONTHS)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT * FROM audit_partitions_ensure(%s, %s)", [starts, ends])
        created = [row[0] for row in cursor.fetchall()]
    _last_ensured[using] = time.monotonic()
    return created


def ensure_now_and_then(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """For the sealer: ``ensure()`` at most once an hour per process. A failure (e.g. the
    application role was not granted EXECUTE on the function, docs/operations.md) is
    logged as an error and tried again an hour later; sealing goes on, since the
    migration and earlier runs created months ahead."""
    last = _last_ensured.get(using)
    if last is not None and time.monotonic() - last < _ENSURE_EVERY:
        return []
    _last_ensured[using] = time.monotonic()
    if connections[using].vendor != "postgresql":
        return []
    try:
        with transaction.atomic(using=using):
            created = ensure(using)
    except DatabaseError as exc:
        logger.error(
            "audit: could not create the coming months' partitions (%s); months ahead: %s",
            exc,
            months_ahead(using),
        )
        return []
    if created:
        logger.info("audit: created partitions %s", ", ".join(created))
    return created


def ensure_for(using: str, datetimes) -> list[str]:
    """Partitions for rows being restored with their original times."""
    values = [value for value in datetimes if value is not None]
    if not values or not is_partitioned(using):
        return []
    return ensure(using, starts=min(values), ends=max(values))


_NO_PARTITION = "no partition of relation"


_written_months: dict[str, set[tuple[int, int]]] = {}


def write_healing(using: str, datetimes, write):
    """Run ``write()`` (an insert of audit rows at ``datetimes``); when PostgreSQL
    refuses it because a month has no partition yet (the sealer has not run for months,
    the clock jumped, rows are filed with a later time), create that month through
    ``audit_partitions_ensure`` and write again, once. Any other error, or a second
    refusal, goes to the caller: an access is never left unlogged. Months before the
    previous one are not created here (they were archived or dropped, or the time is
    wrong): such a row is refused as before; a restore creates its months itself.

    The first write to a month in a process runs in a savepoint (so that a refusal
    does not abort the caller's transaction); later writes to the same month, which
    exists, cost nothing extra."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return write()
    months = {(value.year, value.month) for value in datetimes if value is not None}
    known = _written_months.setdefault(using, set())
    if months <= known:
        return write()
    try:
        if connection.in_atomic_block:
            with transaction.atomic(using=using):
                result = write()
        else:
            result = write()
    except DatabaseError as exc:
        earliest = timezone.now() - datetime.timedelta(days=31)
        if _NO_PARTITION not in str(exc) or any(
            value is not None and value < earliest for value in datetimes
        ):
            raise
        created = ensure_for(using, datetimes)
        logger.warning(
            "audit: a row had no month partition; created %s", ", ".join(created) or "none"
        )
        with transaction.atomic(using=using):
            result = write()
    known |= months
    return result


def months_ahead(using: str = DEFAULT_DB_ALIAS) -> int | None:
    """How many whole months after the current one have a partition (None when the log
    is not partitioned)."""
    found = partitions(using)
    if not found:
        return None
    now = datetime.datetime.now(datetime.UTC)
    current = (now.year, now.month)
    ahead = 0
    labels = {(p.starts.year, p.starts.month) for p in found}
    if current not in labels:
        return -1
    year, month = current
    while True:
        year, month = (year + month // 12, month % 12 + 1)
        if (year, month) not in labels:
            return ahead
        ahead += 1
