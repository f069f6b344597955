"""Checking the audit chain (`samverkan audit verify`): read-only, set-based, and fast.

1. **Rows.** Every row's content hash is recomputed from its fields and every link from
   its own ``prev_hash``, the row's id and that content hash. On PostgreSQL the
   database does this itself, one month's partition per query and several months at a
   time on separate connections sharing one snapshot (``rows_sql.py``,
   ``canonical_sql.py``); only rows it does not find equal come back, and Python
   re-checks them with ``hashing.content_hash`` (``reference.py``), which alone
   reports a change. On SQLite every row goes through the reference check.
2. **Links in order** (``links.py``): per segment the database returns only the edges
   of runs of consecutive links; Python joins the runs (no gaps, no number twice, each
   run's first link names the hash of the link before it).
3. **Witnesses** (``witnesses.py``): every link a witness saw must still carry the hash
   it wrote down, and the chain must not end before the last link a witness saw.

Memory stays flat in the size of the log. Nothing is written: verify never seals.
Decisions 0100 and 0235.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from queue import SimpleQueue

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from samverkan.audit import partitions
from samverkan.audit import witness as witness_mod

from . import links, reference, rows_sql
from .result import MAX_PROBLEMS, Problem, Rows, VerifyResult
from .witnesses import WitnessCheck

__all__ = ["MAX_PROBLEMS", "Problem", "VerifyResult", "chain_verify", "default_workers"]


def chain_verify(
    *,
    using: str = DEFAULT_DB_ALIAS,
    chunk_size: int = 5000,
    workers: int = 1,
    witnesses: Iterable | None = None,
    restoring: bool = False,
) -> VerifyResult:
    """Check the whole chain (see the module's doc). ``witnesses``: the witnesses to
    compare with; by default every readable witness the settings configure.
    ``restoring``: the database was just restored from a copy, so links the witnesses
    saw after the copy's end are expected to be missing (a note, not a problem).
    ``workers`` > 1 checks that many PostgreSQL partitions at a time, each on its own
    connection (only outside a transaction, which the workers could not see into)."""
    connection = connections[using]
    result = VerifyResult()
    if witnesses is None:
        witnesses = [w for w in witness_mod.configured() if w.readable]
    fast = rows_sql.usable(using)
    if connection.vendor == "postgresql":
        segments = partitions.segments(using)
    else:
        segments = [partitions.Segment(partitions.EVENT_TABLE, partitions.SEAL_TABLE, "")]
    result.segments = len(segments)
    outside = not connection.in_atomic_block
    parallel = fast and workers > 1 and len(segments) > 1 and outside
    with transaction.atomic(using=using):
        if parallel:
            snapshot = rows_sql.export_snapshot(using)
            queue = SimpleQueue()
            for segment in segments:
                queue.put(segment)
            threads = min(workers, len(segments))
            with ThreadPoolExecutor(max_workers=threads) as pool:
                futures = [
                    pool.submit(rows_sql.segments_in_thread, using, queue, chunk_size, snapshot)
                    for _ in range(threads)
                ]
                links.check_links(result, using, segments, chunk_size)
                parts = [part for future in futures for part in future.result()]
        else:
            if fast and outside:
                rows_sql.export_snapshot(using)  # one consistent view, as in parallel
            if fast:
                parts = [rows_sql.segment_rows(using, s, chunk_size) for s in segments]
            else:
                parts = [reference.rows_orm(using, chunk_size)]
            links.check_links(result, using, segments, chunk_size)
        checks = [WitnessCheck(source, result, restoring) for source in witnesses]
        result.witnesses = [check.name for check in checks]
        for check in checks:
            check.compare(lambda seqs: links.chains(using, seqs), result.head_seq)
    _gather(result, parts, fast)
    return result


def _gather(result: VerifyResult, parts: list[Rows], fast: bool) -> None:
    for part in parts:
        result.rows += part.rows
        result.slow += part.slow
        result.unsealed += part.unsealed
        result.more_problems += part.more
        for problem in part.problems:
            result.add(problem)
    if fast:
        # The database checked the row of every link; ``rows`` so far counted only the
        # ones re-checked in Python.
        result.rows = result.checked
    result.problems.sort(key=lambda p: (p.seq is None, p.seq or 0, p.event_id is not None))


def default_workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))
