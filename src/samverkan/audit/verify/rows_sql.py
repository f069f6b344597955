"""PostgreSQL: the rows of one month checked by the database, set-based.

One query per segment (a month's partition of events joined with the same month's
links) recomputes every row's content hash and link in SQL (``canonical_sql.py``) and
returns only the rows that are not equal: rows not yet linked (counted), links whose row
is not in the month, and rows whose hash or link differs or could not be built in SQL.
Those go to the reference check in Python (``reference.py``), which decides and reports.
Segments run in parallel on separate connections that share one exported snapshot
(``SET TRANSACTION SNAPSHOT``), so that every worker sees the same log."""

from __future__ import annotations

import re
from queue import Empty, SimpleQueue

from django.db import connections, transaction

from samverkan.audit import partitions

from . import canonical_sql, reference
from .result import Rows

_BATCH = 500  # rows re-checked in Python per query
_SNAPSHOT = re.compile(r"^[0-9A-Fa-f-]+$")


def rows_sql(event_table: str, seal_table: str) -> str:
    """The rows of one segment that the database does not find equal. A row's hash is
    first built with ``details`` from jsonb's own text (``fast``, no sub-select); only
    when that does not match is it built again key by key, which is exact wherever it
    gives a value (decision 0360)."""
    fast = canonical_sql.row_hash_sql(fast=True)
    exact = canonical_sql.row_hash_sql()
    link_hash = canonical_sql.link_hash_sql()
    # Table names come from the catalogue (partitions.segments), quoted by the caller.
    return (
        "SELECT s.seq, s.prev_hash, s.chain_hash, s.event_id, e.id "  # noqa: S608  # nosec B608
        f"FROM {seal_table} s FULL JOIN {event_table} e ON e.id = s.event_id "
        f"WHERE s.seq IS NULL OR e.id IS NULL OR (({fast}) IS DISTINCT FROM e.content_hash "
        f"AND ({exact}) IS DISTINCT FROM e.content_hash) OR ({link_hash}) <> s.chain_hash"
    )


def usable(using: str) -> bool:
    """The set-based check needs PostgreSQL with UTF-8 text (``convert_to`` then hashes
    the very bytes Python does)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        return cursor.fetchone()[0].upper() in {"UTF8", "UTF-8"}


def segment_rows(using: str, segment: partitions.Segment, chunk_size: int) -> Rows:
    """One segment on the current connection and transaction."""
    out = Rows()
    connection = connections[using]
    quote = connection.ops.quote_name
    sql = rows_sql(quote(segment.event_table), quote(segment.seal_table))
    pending = []
    with connection.cursor() as cursor:
        # The expression is large, so the planner's cost passes JIT's thresholds and
        # every month's query was compiled (and optimised) before it ran: off for this
        # transaction, which only reads (decision 0320).
        cursor.execute("SET LOCAL jit = off")
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        while batch := cursor.fetchmany(chunk_size):
            for seq, prev, chain, seal_event_id, _event_id in batch:
                if seq is None:
                    out.unsealed += 1
                    continue
                pending.append((seq, prev, chain, seal_event_id))
                if len(pending) >= _BATCH:
                    _recheck(out, using, pending)
    _recheck(out, using, pending)
    return out


def _recheck(out: Rows, using: str, pending: list) -> None:
    if pending:
        out.slow += len(pending)
        reference.recheck(out, using, pending)
        pending.clear()


def export_snapshot(using: str) -> str | None:
    """Make the current transaction REPEATABLE READ and export its snapshot for the
    workers (must be the transaction's first statement)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        return cursor.fetchone()[0]


def segments_in_thread(
    using: str, queue: SimpleQueue, chunk_size: int, snapshot: str | None
) -> list[Rows]:
    """A worker thread: one connection and one transaction in the exporter's snapshot,
    checking segments from ``queue`` until it is empty (a connection per segment cost a
    connection's start and a snapshot's import per month; decision 0360)."""
    connection = connections[using]
    parts = []
    try:
        with transaction.atomic(using=using):
            if snapshot and _SNAPSHOT.match(snapshot):
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            while True:
                try:
                    segment = queue.get_nowait()
                except Empty:
                    return parts
                parts.append(segment_rows(using, segment, chunk_size))
    finally:
        connection.close()
