"""Checking the audit chain (`samverkan audit verify`): read-only, streaming, and fast.

Two passes, each with memory that does not grow with the log:

1. **Rows** (per segment: on PostgreSQL one month's partition of events joined with the
   same month's partition of links, several in parallel with ``workers``; otherwise the
   whole tables). Every row's content hash is recomputed from its fields and every link
   is recomputed from its own ``prev_hash``, the row's id and that content hash. On
   PostgreSQL the rows arrive through ``COPY … TO STDOUT`` as text, with the fields
   already in the order and shape of the canonical JSON (``hashing.content_hash``); a
   row whose text needs no JSON escaping is hashed straight from those bytes, any other
   row (quotes, backslashes, NULLs, non-empty ``details``) is parsed and hashed by
   ``hashing.content_hash`` itself, and so is a row whose fast hash does not match
   before it is reported. A fast hash that matches is exact: the bytes hashed are then
   the canonical JSON (see decision 0100).
2. **Links in order**: the links ordered by ``seq`` (three short columns), checking that
   the numbers have no gaps and each link names the previous link's hash, and comparing
   the chain with every witness (``witness.py``): a link the witness saw must still
   carry the hash the witness wrote down, and the chain must not end before the last
   link the witness saw.

Nothing is written: verify never seals.
"""

from __future__ import annotations

import heapq
import json
import os
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from hashlib import sha256

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Exists, OuterRef
from psycopg import pq

from . import hashing, partitions
from . import witness as witness_mod
from .models import AuditEvent, AuditSeal

MAX_PROBLEMS = 1000  # kept in memory; further problems are only counted


@dataclass
class Problem:
    seq: int | None
    event_id: int | None
    message: str


@dataclass
class VerifyResult:
    checked: int = 0  # links checked
    unsealed: int = 0  # rows not (yet) linked into the chain
    head_seq: int = 0
    head_hash: str = hashing.GENESIS_HASH
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0  # problems beyond MAX_PROBLEMS, counted only
    notes: list[str] = field(default_factory=list)  # information, not failures
    witnesses: list[str] = field(default_factory=list)  # the witnesses compared
    witnessed_seq: int = 0  # the last link a witness saw
    segments: int = 0
    rows: int = 0  # rows whose content was checked
    slow: int = 0  # of which through the reference path (PostgreSQL's fast path aside)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.more_problems

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more_problems += 1

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.more_problems


# Pass 1: rows --------------------------------------------------------------------------


@dataclass
class _Rows:
    rows: int = 0
    unsealed: int = 0
    slow: int = 0
    problems: list[Problem] = field(default_factory=list)
    more: int = 0

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more += 1


def _changed(event_id) -> str:
    return f"Loggrad {event_id} har ändrats."


def _deleted(event_id) -> str:
    return f"Loggrad {event_id} har raderats."


def _check_row(out: _Rows, seq, prev, chain, seal_event_id, event_id, values, stored) -> None:
    """The reference check of one row and its link (also the slow path)."""
    out.rows += 1
    recomputed = hashing.content_hash(values)
    if recomputed != stored or (hashing.chain_hash(prev, seq, seal_event_id, recomputed) != chain):
        out.add(Problem(seq, event_id, _changed(event_id)))


_EVENT_VALUES = ("id", "content_hash", *hashing.HASHED_FIELDS, *hashing.OPTIONAL_HASHED_FIELDS)


def _check_orphan(out: _Rows, using: str, seq, prev, chain, event_id) -> None:
    """A link whose row is not where it should be: look for it anywhere."""
    row = AuditEvent.objects.using(using).filter(pk=event_id).values(*_EVENT_VALUES).first()
    if row is None:
        out.rows += 1
        out.add(Problem(seq, event_id, _deleted(event_id)))
        return
    _check_row(out, seq, prev, chain, event_id, event_id, row, row["content_hash"])


def _rows_orm(using: str, chunk_size: int) -> _Rows:
    """Any database: rows through the ORM (SQLite, and PostgreSQL inside a transaction
    that must see its own uncommitted rows, e.g. a restore)."""
    out = _Rows()
    queryset = AuditEvent.objects.using(using).values_list(
        "seal__seq", "seal__prev_hash", "seal__chain_hash", *_EVENT_VALUES
    )
    names = _EVENT_VALUES
    for seq, prev, chain, *rest in queryset.iterator(chunk_size=chunk_size):
        if seq is None:
            out.unsealed += 1
            continue
        values = dict(zip(names, rest, strict=True))
        event_id = values["id"]
        _check_row(out, seq, prev, chain, event_id, event_id, values, values["content_hash"])
    orphans = AuditSeal.objects.using(using).filter(
        ~Exists(AuditEvent.objects.using(using).filter(pk=OuterRef("event_id")))
    )
    for seq, event_id in orphans.values_list("seq", "event_id").order_by("seq"):
        out.rows += 1
        out.add(Problem(seq, event_id, _deleted(event_id)))
    return out


# PostgreSQL: COPY with the canonical JSON's shape ---------------------------------------

# Optional fields are in the canonical JSON only when set (hashing.content_hash); they
# come out of COPY as '' when absent, and the row then uses a template without them.
_OPTIONAL = frozenset(hashing.OPTIONAL_HASHED_FIELDS)
_SORTED = sorted(hashing.HASHED_FIELDS + hashing.OPTIONAL_HASHED_FIELDS)


def _kind(name: str) -> str:
    if name in _OPTIONAL:
        return "optional"
    internal = AuditEvent._meta.get_field(name).get_internal_type()
    kinds = {
        "DateTimeField": "time",
        "BigIntegerField": "int",
        "IntegerField": "int",
        "GenericIPAddressField": "ip",
        "JSONField": "json",
        "CharField": "text",
        "TextField": "text",
    }
    if internal not in kinds:  # a new hashed field: teach both paths its shape
        raise NotImplementedError(f"audit verify: no canonical form for {name} ({internal})")
    return kinds[internal]


_KINDS = {name: _kind(name) for name in _SORTED}


def _column(name: str) -> str:
    kind = _KINDS[name]
    col = f'e."{name}"'
    if kind == "time":
        return f"""to_char({col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
    if kind == "int":
        return f"COALESCE({col}::text, 'null')"
    if kind == "ip":
        return f"COALESCE(host({col}), '')"
    if kind == "json":
        return f"CASE WHEN {col} = '{{}}'::jsonb THEN '{{}}' ELSE {col}::text END"
    if kind == "optional":
        return f"COALESCE({col}, '')"
    return col  # text: NULL comes as \N, which sends the row down the slow path


def _template(ip_present: bool, optional_present: frozenset = frozenset()) -> bytes:
    parts = []
    for name in _SORTED:
        kind = _KINDS[name]
        if kind == "optional":
            if name in optional_present:
                parts.append(f'"{name}":"%s"')
        elif kind == "text" or kind == "time":
            parts.append(f'"{name}":"%s"')
        elif kind == "ip":
            parts.append(f'"{name}":"%s"' if ip_present else f'"{name}":null%s')
        else:
            parts.append(f'"{name}":%s')
    return ("{" + ",".join(parts) + "}").encode()


# The COPY line: the head, the required fields in the canonical order, then the
# optional fields (so that a row without them hashes one contiguous slice of the line).
_REQUIRED = tuple(n for n in _SORTED if _KINDS[n] != "optional")
_COLUMNS = _REQUIRED + tuple(n for n in _SORTED if _KINDS[n] == "optional")
_T_IP = _template(True)
_T_NO_IP = _template(False)
_HEAD_COLS = 6
_POS = {name: _HEAD_COLS + i for i, name in enumerate(_COLUMNS)}
_IP_COL = next((_POS[n] for n in _COLUMNS if _KINDS[n] == "ip"), -1)
_JSON_COL = next((_POS[n] for n in _COLUMNS if _KINDS[n] == "json"), -1)
_REQ_END = _HEAD_COLS + len(_REQUIRED)  # the optional columns: [_REQ_END, -1)
_OPT_COLS = tuple(range(_REQ_END, _HEAD_COLS + len(_COLUMNS)))
_NO_OPT = [b""] * len(_OPT_COLS)
_OPT_TEMPLATES: dict[tuple[bool, frozenset], bytes] = {}


def _with_optional(cols: list[bytes], ip_present: bool) -> tuple[bytes, tuple]:
    """The template and the values of a row that sets one or more optional fields."""
    present = frozenset(_COLUMNS[i - _HEAD_COLS] for i in _OPT_COLS if cols[i])
    key = (ip_present, present)
    template = _OPT_TEMPLATES.get(key)
    if template is None:
        template = _OPT_TEMPLATES[key] = _template(ip_present, present)
    values = tuple(
        cols[_POS[name]] for name in _SORTED if _KINDS[name] != "optional" or name in present
    )
    return template, values


def _rows_sql(event_table: str, seal_table: str) -> str:
    columns = ", ".join(_column(name) for name in _COLUMNS)
    # The trailing '' takes the line's newline, so the field columns come out bare.
    # Table names come from the catalogue (partitions.segments) and are quoted.
    head = "s.seq, s.prev_hash, s.chain_hash, s.event_id, e.id, e.content_hash"
    join = f"{seal_table} s FULL JOIN {event_table} e ON e.id = s.event_id"
    return f"SELECT {head}, {columns}, '' FROM {join}"  # noqa: S608  # nosec B608


_UNESCAPE = re.compile(rb"\\(.)")
_ESCAPES = {b"\\": b"\\", b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t"}
_ESCAPES[b"v"] = b"\v"


def _copy_text(raw: bytes) -> str | None:
    """One field of COPY's text format, unescaped."""
    if raw == b"\\N":
        return None
    if b"\\" in raw:
        raw = _UNESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), raw)
    return raw.decode("utf-8")


def _slow_line(out: _Rows, using: str, line: bytes) -> None:
    cols = [_copy_text(c) for c in line.rstrip(b"\n").split(b"\t")]
    seq, prev, chain, seal_event_id, event_id, stored = cols[:_HEAD_COLS]
    if seq is None:
        out.unsealed += 1
        return
    seq, seal_event_id = int(seq), int(seal_event_id)
    if event_id is None:
        _check_orphan(out, using, seq, prev, chain, seal_event_id)
        return
    values = {}
    for name, raw in zip(_COLUMNS, cols[_HEAD_COLS:-1], strict=True):
        kind = _KINDS[name]
        if kind == "int":
            values[name] = None if raw == "null" else int(raw)
        elif kind == "ip":
            values[name] = raw or None
        elif kind == "json":
            values[name] = json.loads(raw)
        elif kind == "optional":
            values[name] = raw or None
        else:  # text, and time already in its canonical form
            values[name] = raw
    _check_row(out, seq, prev, chain, seal_event_id, int(event_id), values, stored)


def _copy_out(using: str, sql: str) -> Iterator[memoryview]:
    """The rows of ``COPY (sql) TO STDOUT``, one line each, straight from libpq
    (psycopg's documented low-level ``pgconn``): psycopg's own COPY iterator costs
    several Python calls per row, more than hashing the row does."""
    connection = connections[using]
    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    pgconn.send_query(f"COPY ({sql}) TO STDOUT".encode())
    result = pgconn.get_result()
    copying = result is not None and result.status == pq.ExecStatus.COPY_OUT
    try:
        if not copying:
            message = result.error_message.decode("utf-8", "replace") if result else ""
            raise DatabaseError(f"audit verify: COPY failed: {message}")
        while True:
            nbytes, data = pgconn.get_copy_data(0)
            if nbytes < 0:
                copying = False
                if nbytes == -1:
                    break
                raise DatabaseError(pgconn.error_message.decode("utf-8", "replace"))
            yield data
    finally:
        # Read what is left (when the caller stopped early), then the results.
        while copying and pgconn.get_copy_data(0)[0] > 0:
            pass
        while (final := pgconn.get_result()) is not None:
            if final.status == pq.ExecStatus.FATAL_ERROR:
                raise DatabaseError(final.error_message.decode("utf-8", "replace"))


_ENCODE = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


def _rows_copy(using: str, event_table: str, seal_table: str) -> _Rows:
    """One segment on PostgreSQL, streamed with COPY and hashed in a tight loop."""
    out = _Rows()
    quote = connections[using].ops.quote_name
    sql = _rows_sql(quote(event_table), quote(seal_table))
    slow = []
    t_ip, t_no_ip, ip_col, head, json_col = _T_IP, _T_NO_IP, _IP_COL, _HEAD_COLS, _JSON_COL
    req_end, no_opt = _REQ_END, _NO_OPT
    loads, encode = json.loads, _ENCODE
    rows = 0
    for block in _copy_out(using, sql):
        line = bytes(block)
        if line.startswith(b"\\N\t"):  # a row not yet linked into the chain
            out.unsealed += 1
            continue
        if b"\\" in line:  # escapes, NULLs: the reference path
            slow.append(line)
            continue
        cols = line.split(b"\t")
        details = cols[json_col]
        if details != b"{}":
            if line.count(b'"') != details.count(b'"'):
                slow.append(line)
                continue
            cols[json_col] = encode(loads(details)).encode()
        elif b'"' in line:
            slow.append(line)
            continue
        if cols[req_end:-1] == no_opt:  # no optional field set: one slice of the line
            template = t_ip if cols[ip_col] else t_no_ip
            values = tuple(cols[head:req_end])
        else:
            template, values = _with_optional(cols, bool(cols[ip_col]))
        content = sha256(template % values).hexdigest().encode()
        if (
            content != cols[5]
            or sha256(b"|".join((cols[1], cols[0], cols[3], content))).hexdigest().encode()
            != cols[2]
        ):
            slow.append(line)  # the reference check decides and reports
        else:
            rows += 1
        if len(slow) >= 1000:
            _drain(out, using, slow)
    _drain(out, using, slow)
    out.rows += rows
    return out


def _drain(out: _Rows, using: str, slow: list[bytes]) -> None:
    out.slow += len(slow)
    for line in slow:
        _slow_line(out, using, line)
    slow.clear()


def _segment(using: str, segment: partitions.Segment, chunk_size: int, fast: bool) -> _Rows:
    if fast:
        return _rows_copy(using, segment.event_table, segment.seal_table)
    return _rows_orm(using, chunk_size)


def _segment_in_worker(using: str, segment: partitions.Segment, chunk_size: int) -> _Rows:
    # A forked worker: the parent closed its connections before the pool started, so
    # this process opens its own.
    try:
        return _segment(using, segment, chunk_size, True)
    finally:
        connections.close_all()


# Pass 2: links in order, and the witnesses ---------------------------------------------


def _links(using: str, chunk_size: int) -> Iterator[tuple[int, str, str]]:
    connection = connections[using]
    table = connection.ops.quote_name(AuditSeal._meta.db_table)
    sql = f"SELECT seq, prev_hash, chain_hash FROM {table} ORDER BY seq"  # noqa: S608  # nosec B608
    if connection.vendor == "postgresql":
        for block in _copy_out(using, sql):
            seq, prev, chain = bytes(block)[:-1].decode().split("\t")
            yield int(seq), prev, chain
        return
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while batch := cursor.fetchmany(chunk_size):
            yield from batch


class _WitnessCheck:
    """Compares the links, as they stream by in order, with one witness's entries.

    A witness is a sequence of epochs: the sealer's heads, then after a restore the
    restore's marker and the heads after it. Each epoch's heads only go up, so the
    epochs are merged by ``seq`` and met in one pass over the links. Heads after the
    point a later restore went back to describe links lost with that restore: they
    are reported as notes, not compared."""

    def __init__(self, source, result: VerifyResult, restoring: bool = False):
        self.restoring = restoring
        self.source = source
        self.name = source.name
        self.result = result
        self.entries = 0
        self.mismatches = 0
        self.first_mismatch = None
        self.missing = None  # (entry) a witnessed link the chain does not have
        self.max_entry = None
        self.lost: list[tuple[int, int]] = []  # (restored to seq, last seq lost)
        self._restores: list = []
        self._iter = self._merged()
        self._next = next(self._iter, None)

    def _epochs(self) -> list[tuple[int, int, int]]:
        """(first line, last line, limit) per epoch; limit = the lowest seq a later
        restore went back to."""
        starts = [0]
        restores = []
        last = 0
        for item in self.source.entries():
            if isinstance(item, str):
                self.result.add(Problem(None, None, f"Vittnet ({self.name}): {item}."))
                continue
            last = item.line
            self.entries += 1
            if item.kind == "restore":
                starts.append(item.line)
                restores.append(item)
        epochs = []
        limit = None
        bounds = [*starts, last + 1]
        for index in range(len(starts) - 1, -1, -1):
            epochs.append((bounds[index], bounds[index + 1] - 1, limit))
            if index > 0:
                marker = restores[index - 1]
                limit = marker.seq if limit is None else min(limit, marker.seq)
                self._restores.append(marker)
        return list(reversed(epochs))

    def _epoch(self, first: int, last: int, limit: int | None):
        top = None
        lost_max = None
        for item in self.source.entries():
            if isinstance(item, str) or item.line < first or item.line > last:
                continue
            if limit is not None and item.seq > limit:
                lost_max = max(lost_max or 0, item.seq)
                continue
            if top is not None and item.seq < top.seq:
                self.result.add(
                    Problem(
                        item.seq,
                        None,
                        f"Vittnet ({self.name}) rad {item.line}: nr {item.seq} skrevs efter "
                        f"nr {top.seq}. Ett vittne går aldrig bakåt: posten är förfalskad "
                        "eller vittnet har blandats med ett annat.",
                    )
                )
                continue
            top = item
            yield item.seq, item.line, item
        if lost_max is not None:
            self.lost.append((limit, lost_max))

    def _merged(self):
        self._restores = []
        epochs = self._epochs()
        return heapq.merge(*(self._epoch(*epoch) for epoch in epochs))

    def feed(self, seq: int, chain: str) -> None:
        while self._next is not None and self._next[0] <= seq:
            entry = self._next[2]
            if entry.seq < seq:
                # The chain has no link with this number (a gap, reported as such).
                self._mismatch(entry, None)
            elif entry.hash != chain:
                self._mismatch(entry, chain)
            self._seen(entry)
            self._next = next(self._iter, None)

    def _seen(self, entry) -> None:
        if self.max_entry is None or entry.seq > self.max_entry.seq:
            self.max_entry = entry

    def _mismatch(self, entry, chain) -> None:
        self.mismatches += 1
        if self.first_mismatch is None:
            self.first_mismatch = (entry, chain)

    def finish(self, head_seq: int) -> None:
        while self._next is not None:
            entry = self._next[2]
            if entry.seq > head_seq:
                if self.missing is None or entry.seq > self.missing.seq:
                    self.missing = entry
            else:  # only an entry for seq 0 or a gap can be left here
                self._mismatch(entry, None)
            self._seen(entry)
            self._next = next(self._iter, None)
        result = self.result
        if self.max_entry is not None:
            result.witnessed_seq = max(result.witnessed_seq, self.max_entry.seq)
        if self.missing is not None and self.restoring:
            entry = self.missing
            result.notes.append(
                f"Säkerhetskopian slutar vid nr {head_seq}; vittnet ({self.name}) såg kedjan "
                f"till nr {entry.seq} ({entry.at}). Länkarna efter kopian förloras med "
                "återställningen, och det skrivs till vittnet."
            )
        elif self.missing is not None:
            entry = self.missing
            result.add(
                Problem(
                    head_seq + 1,
                    None,
                    f"Loggen slutar vid nr {head_seq}, men vittnet ({self.name}) såg kedjan "
                    f"till nr {entry.seq} ({entry.at}): loggrader nr {head_seq + 1}–"
                    f"{entry.seq} har raderats i slutet av loggen.",
                )
            )
        if self.first_mismatch is not None:
            entry, chain = self.first_mismatch
            found = f"har hashen {chain}" if chain else "finns inte"
            result.add(
                Problem(
                    entry.seq,
                    None,
                    f"Länk {entry.seq} {found}, men vittnet ({self.name}) skrev {entry.hash} "
                    f"({entry.at}): loggen har skrivits om till och med nr {entry.seq} "
                    f"({self.mismatches} av vittnets {self.entries} poster stämmer inte).",
                )
            )
        for limit, lost_max in self.lost:
            result.notes.append(
                f"Vittnet ({self.name}) såg länkarna nr {limit + 1}–{lost_max} före en "
                "återställning från säkerhetskopia; de fanns inte i kopian och förlorades "
                "med återställningen."
            )
        if self.entries == 0 and head_seq > 0 and not self.restoring:
            result.add(
                Problem(
                    None,
                    None,
                    f"Vittnet ({self.name}) har inga poster, men loggen har {head_seq} länkar. "
                    "Är vittnet nytt: kör 'samverkan audit seal' en gång så skrivs kedjans "
                    "slut dit. Annars har vittnet tömts eller bytts ut.",
                )
            )


def _check_links(
    result: VerifyResult, using: str, chunk_size: int, witnesses: Iterable, restoring: bool
) -> None:
    checks = [_WitnessCheck(source, result, restoring) for source in witnesses]
    result.witnesses = [check.name for check in checks]
    expected = 1
    prev = hashing.GENESIS_HASH
    checked = 0
    for seq, link_prev, chain in _links(using, chunk_size):
        if seq != expected:
            if seq < expected:
                result.add(Problem(seq, None, f"Länk {seq} finns två gånger."))
            else:
                result.add(
                    Problem(
                        expected, None, f"Länk {expected}–{seq - 1} saknas: loggrader har raderats."
                    )
                )
        elif link_prev != prev:
            result.add(
                Problem(seq, None, f"Länk {seq} pekar inte på föregående länk: kedjan är bruten.")
            )
        for check in checks:
            check.feed(seq, chain)
        prev = chain
        expected = seq + 1
        checked += 1
    result.checked = checked
    result.head_seq = expected - 1
    result.head_hash = prev
    for check in checks:
        check.finish(result.head_seq)


# Together --------------------------------------------------------------------------------


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
    ``workers`` > 1 verifies PostgreSQL partitions in that many processes (only
    outside a transaction: each process has its own connection)."""
    connection = connections[using]
    result = VerifyResult()
    if witnesses is None:
        witnesses = [w for w in witness_mod.configured() if w.readable]
    fast = connection.vendor == "postgresql"
    segments = partitions.segments(using) if fast else [partitions.Segment("", "", "")]
    result.segments = len(segments)
    parallel = fast and workers > 1 and len(segments) > 1 and not connection.in_atomic_block
    if parallel:
        connections.close_all()
        with ProcessPoolExecutor(max_workers=min(workers, len(segments))) as pool:
            futures = [
                pool.submit(_segment_in_worker, using, segment, chunk_size) for segment in segments
            ]
            _check_links(result, using, chunk_size, witnesses, restoring)
            parts = [future.result() for future in futures]
    else:
        parts = [_segment(using, segment, chunk_size, fast) for segment in segments]
        _check_links(result, using, chunk_size, witnesses, restoring)
    for part in parts:
        result.rows += part.rows
        result.slow += part.slow
        result.unsealed += part.unsealed
        result.more_problems += part.more
        for problem in part.problems:
            result.add(problem)
    result.problems.sort(key=lambda p: (p.seq is None, p.seq or 0, p.event_id is not None))
    return result


def default_workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))
