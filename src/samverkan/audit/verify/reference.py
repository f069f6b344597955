"""The reference check of rows, in Python with ``hashing.content_hash`` itself.

Used for every row on SQLite, and on PostgreSQL for the rows the database's set-based
check (``rows_sql.py``) did not find equal: only this module reports a changed row."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef

from samverkan.audit import hashing
from samverkan.audit.models import AuditEvent, AuditSeal

from .result import Problem, Rows

EVENT_VALUES = ("id", "content_hash", *hashing.HASHED_FIELDS, *hashing.OPTIONAL_HASHED_FIELDS)


def changed(event_id) -> str:
    return f"Loggrad {event_id} har ändrats."


def deleted(event_id) -> str:
    return f"Loggrad {event_id} har raderats."


def check_row(out: Rows, seq, prev, chain, seal_event_id, values: dict) -> None:
    """One row and its link: the content hash from the fields, the link from its own
    ``prev_hash``, the link's event id and that content hash."""
    out.rows += 1
    event_id = values["id"]
    recomputed = hashing.content_hash(values)
    if recomputed != values["content_hash"] or (
        hashing.chain_hash(prev, seq, seal_event_id, recomputed) != chain
    ):
        out.add(Problem(seq, event_id, changed(event_id)))


def rows_orm(using: str, chunk_size: int) -> Rows:
    """Every row through the ORM, streamed (SQLite)."""
    out = Rows()
    queryset = AuditEvent.objects.using(using).values_list(
        "seal__seq", "seal__prev_hash", "seal__chain_hash", *EVENT_VALUES
    )
    for seq, prev, chain, *rest in queryset.iterator(chunk_size=chunk_size):
        if seq is None:
            out.unsealed += 1
            continue
        values = dict(zip(EVENT_VALUES, rest, strict=True))
        check_row(out, seq, prev, chain, values["id"], values)
    orphans = AuditSeal.objects.using(using).filter(
        ~Exists(AuditEvent.objects.using(using).filter(pk=OuterRef("event_id")))
    )
    for seq, event_id in orphans.values_list("seq", "event_id").order_by("seq"):
        out.rows += 1
        out.add(Problem(seq, event_id, deleted(event_id)))
    return out


def recheck(out: Rows, using: str, links: Iterable[tuple[int, str, str, int]]) -> None:
    """The reference check of links ``(seq, prev_hash, chain_hash, event_id)`` whose
    rows the database did not find equal (a batch; the rows are looked up by id, in
    any partition: a link whose row is missing from its month is looked for anywhere)."""
    links = list(links)
    found = {
        values["id"]: values
        for values in AuditEvent.objects.using(using)
        .filter(pk__in=[link[3] for link in links])
        .values(*EVENT_VALUES)
    }
    for seq, prev, chain, event_id in links:
        values = found.get(event_id)
        if values is None:
            out.rows += 1
            out.add(Problem(seq, event_id, deleted(event_id)))
        else:
            check_row(out, seq, prev, chain, event_id, values)
