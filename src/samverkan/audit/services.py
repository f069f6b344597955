"""Writing and sealing the audit log. ``event_record`` is called inside the caller's
transaction, so a change and its audit row commit or roll back together; it never
swallows errors."""

from __future__ import annotations

import contextvars
import functools
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from samverkan.core import bounds, request_context

from . import hashing, lag, names, partitions, verify, witness
from .models import Action, AuditEvent, AuditSeal, Outcome

_SEAL_LOCK_KEY = 7_341_220_011  # arbitrary, constant: the sealer's advisory lock
_STRAGGLER_WINDOW = 10_000
# What names.record() reads of each row the sealer links.
_NAME_FIELDS = ("actor_organisation_id", *names.COLUMNS.values())


class AuditActor(Protocol):
    user_id: int | None
    username: str
    display_name: str
    organisation_id: int | None
    organisation_name: str
    unit_name: str
    function_name: str


@dataclass(frozen=True)
class Ground:
    """The legal ground an access rests on, as stored in the log."""

    code: str
    label: str
    reference: str = ""
    # The version of the catalogue of legal grounds the ground was read from (legal app);
    # stored in the row's details as ``ground_version``.
    version: str = ""


def _plain(value):
    """``value`` with every lazy (translatable) text turned into a plain string, and
    every NUL character (which PostgreSQL cannot store in text or JSON) shown as the
    replacement character, so that a row about what someone sent is still written."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _event(
    *,
    actor: AuditActor | None,
    action: str,
    resource_type: str,
    resource_id: str = "",
    subject_id: str = "",
    ground: Ground | None = None,
    outcome: str = Outcome.ALLOWED,
    reason: str = "",
    details: dict | None = None,
    occurred_at=None,
) -> AuditEvent:
    if action not in Action.values:
        raise ValueError(f"Unknown audit action {action!r}")
    if len(reason or "") > bounds.TEXT_PARAGRAPH:  # a caller passed unchecked text
        raise ValueError(f"audit reason longer than {bounds.TEXT_PARAGRAPH} characters")
    ctx = request_context.current()
    with translation.override(settings.LANGUAGE_CODE):
        # The log is written in Swedish, the product's language, whatever the acting
        # user's interface language: a reason or label marked for translation (a lazy
        # text) is rendered here in Swedish, so that the same event always reads the same.
        reason = _plain(str(reason))
        ground_label = str(ground.label) if ground else ""
        details = _plain(details or {})
    if ground is not None and ground.version:
        details = {**details, "ground_version": ground.version}
    values = {
        "occurred_at": occurred_at or timezone.now(),
        "request_id": ctx.request_id,
        "ip_address": ctx.ip_address,
        "actor_user_id": getattr(actor, "user_id", None),
        "actor_username": getattr(actor, "username", "") or "",
        "actor_name": getattr(actor, "display_name", "") or "",
        "actor_organisation_id": getattr(actor, "organisation_id", None),
        "actor_organisation_name": getattr(actor, "organisation_name", "") or "",
        "actor_unit_name": getattr(actor, "unit_name", "") or "",
        "actor_function": getattr(actor, "function_name", "") or "",
        "assurance_level": ctx.assurance_level or None,
        "action": action,
        "outcome": outcome,
        "resource_type": resource_type,
        "resource_id": str(resource_id or ""),
        "subject_id": str(subject_id or ""),
        "ground_code": ground.code if ground else "",
        "ground_label": ground_label,
        "ground_reference": str(ground.reference) if ground else "",
        "reason": reason,
        "details": details,
    }
    values["content_hash"] = hashing.content_hash(values)
    return AuditEvent(**values)


# The rows of a page being read, written together when the page is done (``batched``).
_pending: contextvars.ContextVar[list[AuditEvent] | None] = contextvars.ContextVar(
    "audit_pending", default=None
)


def _insert(events: list[AuditEvent]) -> None:
    if len(events) == 1:  # a plain insert: bulk_create adds a BEGIN and a COMMIT
        event = events[0]
        partitions.write_healing(
            DEFAULT_DB_ALIAS, [event.occurred_at], lambda: event.save(force_insert=True)
        )
    elif events:
        partitions.write_healing(
            DEFAULT_DB_ALIAS,
            [e.occurred_at for e in events],
            lambda: AuditEvent.objects.bulk_create(events, batch_size=500),
        )


@contextmanager
def batched():
    """Collect the audit rows written inside the block and insert them in one statement
    when it ends (decision 0315): a page that reads the child, its consents and its
    actor map writes three or four rows, one round trip instead of one each. Every row
    is still written, each with its own time and hash, in the order it was recorded;
    they are also written when the block ends with an error (the reads happened). Only
    for pages that read: nothing inside may need a row's id before the block ends.
    Nested blocks write with the outermost one."""
    if _pending.get() is not None:
        yield
        return
    events: list[AuditEvent] = []
    token = _pending.set(events)
    try:
        yield
    finally:
        _pending.reset(token)
        _insert(events)


def batched_view(view):
    """A read-only view whose audit rows are written in one insert (``batched``)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with batched():
            return view(*args, **kwargs)

    return wrapper


def event_record(*, using: str | None = None, **kwargs) -> AuditEvent:
    """Write one audit row (see ``_event`` for the arguments); ``using`` names another
    database than the default (e.g. the one a backup is restored into). Inside
    ``batched`` the row is written when the block ends."""
    event = _event(**kwargs)
    pending = _pending.get()
    if pending is not None and using is None:
        pending.append(event)
        return event
    alias = using or DEFAULT_DB_ALIAS
    partitions.write_healing(
        alias, [event.occurred_at], lambda: event.save(force_insert=True, using=alias)
    )
    return event


def events_record(entries: list[dict]) -> None:
    """Write several audit rows in one statement, e.g. one per child shown in a list."""
    if entries:
        now = timezone.now()
        events = [_event(occurred_at=now, **entry) for entry in entries]
        pending = _pending.get()
        if pending is not None:
            pending.extend(events)
        else:
            _insert(events)


LIST_GROUND = Ground(code="list", label=gettext_lazy("Flera grunder (en per rad i listan)"))


@dataclass(frozen=True)
class ListItem:
    """One row shown in a list: the record, the person it is about, and its ground."""

    resource_id: str
    subject_id: str
    ground: Ground | None


def list_record(
    *,
    actor: AuditActor | None,
    action: str,
    resource_type: str,
    items: list[ListItem],
    reason: str,
    details: dict | None = None,
) -> AuditEvent | None:
    """One audit row for one page of a list (decision 0092), instead of one per row
    shown. ``details["subjects"]`` names every person shown, so loggkontroll per person
    finds the row (``audit.selectors``); ``details["items"]`` keeps each row's record
    and ground, so the log says as much as one row per record did."""
    if not items:
        return None
    subjects = sorted({item.subject_id for item in items if item.subject_id})
    grounds = {item.ground for item in items}
    ground = next(iter(grounds)) if len(grounds) == 1 else LIST_GROUND
    return event_record(
        actor=actor,
        action=action,
        resource_type=resource_type,
        subject_id=subjects[0] if len(subjects) == 1 else "",
        ground=ground,
        reason=reason,
        details={
            **(details or {}),
            "subjects": subjects,
            "items": [
                [
                    item.resource_id,
                    item.subject_id,
                    item.ground.code if item.ground else "",
                    item.ground.reference if item.ground else "",
                ]
                for item in items
            ],
        },
    )


def _take_seal_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEAL_LOCK_KEY])
    # SQLite: transactions start IMMEDIATE (see settings), which already serialises
    # writers, so two sealers cannot interleave.


def _straggler_window() -> int:
    """How far below the last sealed row a committed-late row can be. PostgreSQL hands
    out ids before commit, so a long transaction can commit a lower id after higher ones
    were sealed. SQLite serialises writers (IMMEDIATE transactions), so ids commit in
    order and nothing below the last sealed id can appear later."""
    if connection.vendor == "sqlite":
        return 0
    return settings.SAMVERKAN.get("AUDIT_STRAGGLER_WINDOW", _STRAGGLER_WINDOW)


def _unsealed_floor(after_event_id: int) -> int:
    """Every row above this id may still wait for the sealer: the rows after the last
    link (``after_event_id``), and the straggler window below it."""
    return max(0, after_event_id - _straggler_window())


def unsealed_floor() -> int:
    """``_unsealed_floor`` of the chain's current head."""
    last = AuditSeal.objects.order_by("-seq").values_list("event_id", flat=True).first()
    return _unsealed_floor(last or 0)


def _pending_ids(after_event_id: int, limit: int) -> list[int]:
    low = _unsealed_floor(after_event_id)
    # The seal side is bounded by the same window (event_id > low, implied by the join
    # but not derived by PostgreSQL's planner); without it PostgreSQL hashes the whole
    # seal table on every batch, which grows with the log (docs/benchmarks.md).
    sealed = AuditSeal.objects.filter(event_id__gt=low, event_id=OuterRef("pk"))
    return list(
        AuditEvent.objects.filter(id__gt=low)
        .filter(~Exists(sealed))
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def seal_pending(*, batch_size: int | None = None) -> int:
    """Link every committed, unsealed row into the chain, oldest first, and write each
    new head of the chain to the witnesses. Returns how many rows were sealed. Safe to
    run from several processes at once. On PostgreSQL it also creates next months'
    partitions of the log, once an hour. Each batch, and the end of every pass (also one
    that found nothing), is recorded in the sealer's row that /healthz reads (lag.py)."""
    batch_size = batch_size or settings.SAMVERKAN["AUDIT_SEAL_BATCH"]
    partitions.ensure_now_and_then()
    total = 0
    while True:
        with transaction.atomic():
            _take_seal_lock()
            last = AuditSeal.objects.order_by("-seq").first()
            # Read before the pending rows: every id up to it is then either found
            # below, or still being written (a straggler for a later pass).
            issued = lag.issued_ids()
            ids = _pending_ids(last.event_id if last else 0, batch_size)
            finished = len(ids) < batch_size
            if ids:
                last = _link(last, ids)
            else:
                _heartbeat_only()
            covered = max([issued, *ids]) if finished else max(ids)
            lag.record_pass(head=last, covered_id=covered, finished=finished)
            total += len(ids)
        if ids:
            head_witness()
        if finished:
            return total


def _heartbeat_only() -> None:
    """A pass that found nothing writes only the sealer's row (its heartbeat): on
    PostgreSQL its commit need not wait for the disk (a crash loses at most that
    heartbeat, which the next pass writes again), so an idle sealer costs no flush of
    the write-ahead log every few seconds."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _link(last: AuditSeal | None, ids: list[int]) -> AuditSeal:
    """Link the rows ``ids`` after ``last`` and remember their names (names.py);
    returns the new head."""
    prev_hash = last.chain_hash if last else hashing.GENESIS_HASH
    seq = last.seq if last else 0
    events = list(
        AuditEvent.objects.filter(id__in=ids)
        .order_by("id")
        .only("id", "content_hash", "occurred_at", *_NAME_FIELDS)
    )
    now = timezone.now()
    links = []
    for event in events:
        seq += 1
        link_hash = hashing.chain_hash(prev_hash, seq, event.id, event.content_hash)
        links.append(
            AuditSeal(
                seq=seq,
                event_id=event.id,
                event_occurred_at=event.occurred_at,
                prev_hash=prev_hash,
                chain_hash=link_hash,
                sealed_at=now,
            )
        )
        prev_hash = link_hash
    AuditSeal.objects.bulk_create(links)
    names.record(events)
    return links[-1]


def head_witness() -> tuple[int, str] | None:
    """Write the chain's current head to every configured witness (after a sealing
    batch has committed; ``samverkan audit seal`` also calls it when it starts). Runs
    under the sealer's lock, so that each witness sees the heads in order even when
    several sealers run. Returns the head written, or None."""
    if not witness.configured():
        return None
    with transaction.atomic():
        _take_seal_lock()
        head = AuditSeal.objects.order_by("-seq").values_list("seq", "chain_hash").first()
        if head is not None:
            witness.record_head(*head)
    return head


# Verification lives in the verify package; these names stay here for the callers.
Problem = verify.Problem
VerifyResult = verify.VerifyResult


def chain_verify(
    *,
    chunk_size: int = 5000,
    using: str = DEFAULT_DB_ALIAS,
    workers: int = 1,
    witnesses=None,
    restoring: bool = False,
) -> VerifyResult:
    """Check the whole chain against itself and the witnesses; read-only (it never
    seals). See ``verify.chain_verify``."""
    return verify.chain_verify(
        using=using,
        chunk_size=chunk_size,
        workers=workers,
        witnesses=witnesses,
        restoring=restoring,
    )


def restore_witness(result: VerifyResult, **details) -> list[str]:
    """After a restore has committed: tell every witness that the chain now ends where
    the copy ended, so that verify reports the links after it as lost with the restore
    (and not as deleted). Returns the witnesses written."""
    return witness.record_restore(result.head_seq, result.head_hash, **details)


def prepare_restore(using: str, events) -> None:
    """Before restored audit rows are inserted: the month partitions they need."""
    partitions.ensure_for(using, [event.occurred_at for event in events])


LOG_CONTROL = Ground(
    code="log_control",
    label="Loggkontroll (systematisk uppföljning av åtkomst, lag 2001:454, PDL 4 kap.)",
)
