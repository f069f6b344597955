"""How far the sealer is behind: for /healthz and the Prometheus metrics (decision 0371).

Read with one single-row query, whatever the size of the log, the number of its month
partitions or the sealer's backlog: the sealer's row (``SealerState``, written by
``services.seal_pending``) says up to which event id every row had been accounted for
when the sealer last finished a pass, and when that was; the same query asks how many
event ids have been handed out (PostgreSQL: the id sequence; SQLite: ``max(id)``, the
last row of the table's primary key).

- ``unsealed`` = ids handed out above the ones accounted for. On SQLite it is exact
  (writers are serialised and a rolled-back insert gives its id back). On PostgreSQL it
  is an upper bound: an insert that rolls back (the request that wrote it failed) has
  used an id that no row will ever have, and a row still being written is counted
  before it commits. Such ids are accounted for at the sealer's next pass, so between
  passes a few may show although nothing waits.
- ``seconds`` = 0 when nothing waits, otherwise the time since the sealer last finished
  a pass: a waiting row was written after that pass and waits at most until the next
  one, so a running sealer keeps this below its interval, and a stopped one lets it
  grow (``state: behind`` on /healthz past ``SEALER_LAG_ALERT_SECONDS``).

Rows that commit late below the ids accounted for (PostgreSQL stragglers, see
``services._straggler_window``) are linked by a later pass and not counted here.

Without the row (a database restored by ``samverkan backup restore``, until the sealer's
first pass there) the lag is computed from the tables, as before decision 0371: three
queries that grow with the number of partitions and the backlog, until the sealer
writes the row."""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, DatabaseError, ProgrammingError, connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .models import AuditEvent, AuditSeal, SealerState

logger = logging.getLogger(__name__)

# How many event ids have been handed out so far. On PostgreSQL the sequence's value,
# through a function of migration 0010 (the owner's rights: the application role needs
# no right on the sequence).
_ISSUED = {
    "postgresql": "SELECT audit_event_ids_issued()",
    "sqlite": "SELECT coalesce(max(id), 0) FROM audit_auditevent",
}
# The probe's one query: the sealer's row with the ids handed out. Plain SQL, not a
# queryset: building and compiling one would cost the probe more than the query does.
_LAG_SQL = "SELECT covered_id, finished_at, ({}) FROM audit_sealerstate WHERE id = 1"
# Built from _ISSUED's constant texts, no input.
_LAG = {vendor: _LAG_SQL.format(issued) for vendor, issued in _ISSUED.items()}
_ERROR_EVERY = 600.0  # seconds between two log lines about a heartbeat not written
_last_error: dict[str, float] = {}


@dataclass(frozen=True)
class SealerLag:
    unsealed: int
    seconds: float


def _vendor() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def issued_ids() -> int:
    """How many event ids have been handed out (for the sealer, under its lock)."""
    with connection.cursor() as cursor:
        cursor.execute(_ISSUED[_vendor()])
        (value,) = cursor.fetchone()
    return int(value or 0)


def sealer_lag() -> SealerLag:
    """The sealer's lag, in one query (see the module's doc)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(_LAG[_vendor()])
            row = cursor.fetchone()
    except ProgrammingError as exc:
        if connection.in_atomic_block:
            raise
        # The database answers but not this query (the application role lacks its
        # rights): the lag from the tables, and a log line. A database that does not
        # answer raises another error, and /healthz says so.
        _log_error("read", exc)
        row = None
    if row is None:
        return _computed()
    covered, finished_at, issued = row
    unsealed = max(0, int(issued or 0) - covered)
    if not unsealed:
        return SealerLag(unsealed=0, seconds=0.0)
    seconds = max(0.0, (timezone.now() - _aware(finished_at)).total_seconds())
    return SealerLag(unsealed=unsealed, seconds=round(seconds, 3))


def _aware(value) -> datetime.datetime:
    """A time as the database gave it: aware on PostgreSQL, naive UTC (or its text) on
    SQLite."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value


def _computed() -> SealerLag:
    """The lag from the tables themselves, when the sealer's row does not exist: the
    rows after the chain's last link, and the age of the oldest of them."""
    last = AuditSeal.objects.order_by("-seq").values_list("event_id", flat=True).first()
    pending = AuditEvent.objects.filter(id__gt=last or 0)
    oldest = pending.order_by("id").values_list("occurred_at", flat=True).first()
    if oldest is None:
        return SealerLag(unsealed=0, seconds=0.0)
    seconds = max(0.0, (timezone.now() - oldest).total_seconds())
    return SealerLag(unsealed=pending.count(), seconds=round(seconds, 3))


def record_pass(*, head: AuditSeal | None, covered_id: int, finished: bool) -> None:
    """For the sealer, in the transaction of a batch (or of a pass that found nothing):
    the chain's head and the ids accounted for; ``finished`` when the pass found nothing
    more to link, which is then its heartbeat. Before the pass has finished, the row is
    only moved forward (and not created)."""
    values = {"head_seq": head.seq if head else 0, "head_event_id": head.event_id if head else 0}
    state = SealerState.objects.filter(pk=1)
    try:
        # A savepoint: a row that cannot be written (the application role lacks its
        # rights) must not stop the sealer; /healthz then shows it "behind".
        with transaction.atomic():
            if not finished:
                state.update(covered_id=Greatest(F("covered_id"), covered_id), **values)
                return
            now = timezone.now()
            if not state.update(covered_id=covered_id, finished_at=now, **values):
                SealerState.objects.create(id=1, covered_id=covered_id, finished_at=now, **values)
    except DatabaseError as exc:
        _log_error("written", exc)


def _log_error(what: str, exc: Exception) -> None:
    """Log that the sealer's row could not be read or written, at most every ten
    minutes per process (the probe and the sealer run every few seconds)."""
    last = _last_error.get(what)
    if last is None or time.monotonic() - last > _ERROR_EVERY:
        _last_error[what] = time.monotonic()
        logger.error("audit: the sealer's row could not be %s (%s)", what, exc)


def forget_pass(using: str = DEFAULT_DB_ALIAS) -> None:
    """Remove the sealer's row (``samverkan backup restore``: the restored chain is not
    the one the row describes). Until the sealer's next pass the lag is computed from
    the tables."""
    SealerState.objects.using(using).all().delete()
