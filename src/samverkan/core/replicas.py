"""Read replicas for selectors (docs/scaling.md, decision 0103).

With ``SAMVERKAN_REPLICA_DATABASE_URL`` set, the settings add a database alias
``replica`` (a PostgreSQL streaming replica of the primary) and this router. Reads go to
the replica only where a selector asks for it, with ``reading()``, and never inside a
transaction on the primary: a service that reads and then writes must see the primary's
current state, and a replica may be a moment behind. Everything else, and every write,
goes to the primary. Without the setting, ``reading()`` changes nothing.

    from samverkan.core import replicas

    with replicas.reading():
        rows = list(queryset)        # runs on the replica

A selector that reads from the replica still writes its audit row to the primary (the
router sends every write there).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
_reading: ContextVar[bool] = ContextVar("samverkan_replica_reading", default=False)


def configured() -> bool:
    return REPLICA in settings.DATABASES and bool(settings.SAMVERKAN.get("READ_REPLICA"))


@contextmanager
def reading() -> Iterator[None]:
    """Reads inside go to the replica (when one is configured and no transaction is
    open on the primary)."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def _in_transaction() -> bool:
    """A transaction of the product's own on the primary (the test framework's wrapping
    transactions, which Django marks, do not count)."""
    return any(
        not getattr(block, "_from_testcase", False)
        for block in connections[DEFAULT_DB_ALIAS].atomic_blocks
    )


class ReplicaRouter:
    """Django database router: selectors' reads to the replica, everything else to the
    primary; migrations only on the primary."""

    def db_for_read(self, model, **hints):
        if _reading.get() and configured() and not _in_transaction():
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
