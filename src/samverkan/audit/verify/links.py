"""The links in order, set-based on both databases.

Per segment, a window over the links ordered by ``seq`` returns only its *edges*: the
first and last link of every run of consecutive numbers, and any link that does not
name the previous link's hash. Python merges the segments' runs by number and checks
that they join: no gaps, no number twice, and each run's first link names the hash of
the link before it (in whichever month that link is). What a run holds inside was
checked by the database, so Python's work grows with the number of months, not of rows.

The witnesses' entries are then compared with the links they name, looked up by number
in batches (``witnesses.py``)."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connections

from samverkan.audit import hashing, partitions
from samverkan.audit.models import AuditSeal

from .result import Problem, VerifyResult


def _edges_sql(seal_table: str) -> str:
    # Table names come from the catalogue (partitions.segments), quoted by the caller.
    return (
        "SELECT seq, prev_hash, chain_hash, prev_seq, prev_chain, next_seq FROM ("  # noqa: S608  # nosec B608
        "SELECT seq, prev_hash, chain_hash, lag(seq) OVER w AS prev_seq, "
        "lag(chain_hash) OVER w AS prev_chain, lead(seq) OVER w AS next_seq "
        f"FROM {seal_table} WINDOW w AS (ORDER BY seq)) AS x "
        "WHERE prev_seq IS NULL OR prev_seq <> seq - 1 OR next_seq IS NULL "
        "OR next_seq <> seq + 1 OR prev_chain <> prev_hash ORDER BY seq"
    )


@dataclass(order=True)
class Run:
    """Consecutive links ``start``..``end`` of one segment, linked inside."""

    start: int
    end: int
    start_prev: str = field(compare=False)
    end_chain: str = field(compare=False)


def broken(seq: int) -> Problem:
    return Problem(seq, None, f"Länk {seq} pekar inte på föregående länk: kedjan är bruten.")


def _runs(using: str, seal_table: str, chunk_size: int, result: VerifyResult) -> Iterator[Run]:
    connection = connections[using]
    with connection.chunked_cursor() as cursor:
        cursor.execute(_edges_sql(connection.ops.quote_name(seal_table)))
        start = start_prev = None
        while batch := cursor.fetchmany(chunk_size):
            for seq, prev, chain, prev_seq, prev_chain, next_seq in batch:
                if prev_seq is None or prev_seq != seq - 1:
                    start, start_prev = seq, prev
                elif prev_chain != prev:
                    result.add(broken(seq))
                if next_seq is None or next_seq != seq + 1:
                    yield Run(start, seq, start_prev, chain)


def check_links(
    result: VerifyResult, using: str, segments: list[partitions.Segment], chunk_size: int
) -> None:
    """Gaps, duplicates and broken links over the whole chain; sets ``checked`` and
    the head."""
    tables = sorted({segment.seal_table for segment in segments})
    expected = 1
    prev = hashing.GENESIS_HASH
    checked = 0
    merged = heapq.merge(*(_runs(using, table, chunk_size, result) for table in tables))
    for run in merged:
        if run.start != expected:
            if run.start < expected:
                result.add(Problem(run.start, None, f"Länk {run.start} finns två gånger."))
            else:
                result.add(
                    Problem(
                        expected,
                        None,
                        f"Länk {expected}–{run.start - 1} saknas: loggrader har raderats.",
                    )
                )
        elif run.start_prev != prev:
            result.add(broken(run.start))
        if run.end >= expected:  # a duplicate run never takes the chain back
            prev = run.end_chain
            expected = run.end + 1
        checked += run.end - run.start + 1
    result.checked = checked
    result.head_seq = expected - 1
    result.head_hash = prev


def chains(using: str, seqs: list[int]) -> dict[int, str]:
    """The hash of each link in ``seqs`` that exists (the first, should one be twice)."""
    found: dict[int, str] = {}
    rows = AuditSeal.objects.using(using).filter(seq__in=seqs).order_by("seq")
    for seq, chain in rows.values_list("seq", "chain_hash"):
        found.setdefault(seq, chain)
    return found
