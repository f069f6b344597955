"""Creating under a unique constraint: the constraint is the truth, not a check before.

A check ("does it exist?") followed by an insert lets two concurrent requests both see
"no" and both insert; the second then fails with an IntegrityError, a 500. Every create
that a unique constraint guards goes through one of these two helpers instead, so the
loser of the race either gets the winner's row or a clear Swedish refusal:

- ``get_or_create_once``: the row is shared (an organisation's open matter with a
  child, a child in the register); the loser uses the winner's row.
- ``create_or_refuse``: a second row would be a mistake (a forum with the same name); the
  loser gets ``ValidationFailed`` with the message.

Both insert inside a savepoint, so the caller's transaction stays usable after the
conflict. On PostgreSQL the losing insert waits on the unique index until the winner
commits, and the read after it sees the winner's row (READ COMMITTED).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.db import IntegrityError, transaction

from .errors import ValidationFailed

T = TypeVar("T")


def get_or_create_once(model, *, defaults: dict | None = None, **lookup) -> tuple[object, bool]:
    """``model.objects.get_or_create`` with a row lock on the found row: the existing
    row (locked for this transaction) and ``False``, or the new row and ``True``.

    Django's ``get_or_create`` already inserts in a savepoint and reads again after an
    IntegrityError; this adds the lock so that the caller can go on to change the row."""
    manager = model.objects.select_for_update()
    existing = manager.filter(**lookup).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return model.objects.create(**lookup, **(defaults or {})), True
    except IntegrityError as exc:
        existing = manager.filter(**lookup).first() if is_unique_violation(exc) else None
        if existing is None:  # the conflict was on another constraint
            raise
        return existing, False


def is_unique_violation(exc: IntegrityError) -> bool:
    """Whether the error is a unique-constraint conflict (not a check or a key)."""
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) is not None:  # psycopg 3
        return cause.sqlstate == "23505"
    return "UNIQUE constraint failed" in str(exc)  # SQLite


@contextmanager
def create_or_refuse(message: str, *, field: str | None = None) -> Iterator[None]:
    """Run the inserts in the block in a savepoint; a unique-constraint conflict (a
    concurrent request created the same thing) becomes ``ValidationFailed(message)``."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if not is_unique_violation(exc):
            raise
        raise ValidationFailed(message, field=field) from exc


def refuse_duplicate(message: str, create: Callable[[], T], *, field: str | None = None) -> T:
    """``create()`` under ``create_or_refuse``; returns what it returns."""
    with create_or_refuse(message, field=field):
        return create()
