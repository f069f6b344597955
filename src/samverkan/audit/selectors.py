"""Loggkontroll reads. An auditor or administrator sees the rows written by staff of
their own organisation. Every look at the log is itself logged."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from samverkan.core import replicas

from . import services
from .models import Action, AuditEvent

AUDIT_PERMISSION = "audit.view"


def may_audit(actor) -> bool:
    return bool(getattr(actor, "has_perm", None)) and actor.has_perm(AUDIT_PERMISSION)


def _scoped(actor) -> QuerySet[AuditEvent]:
    if not may_audit(actor):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(actor_organisation_id=actor.organisation_id)


def mentions(subject_id: str) -> Q:
    """Rows about the person: their own rows, and the rows of list pages that showed
    them (``details["subjects"]``, decision 0092). PostgreSQL finds the latter with a
    GIN index on that array; SQLite with a partial index on the rows that have one."""
    if connection.vendor == "postgresql":
        return Q(subject_id=subject_id) | Q(details__subjects__contains=[subject_id])
    listed = RawSQL(
        "SELECT e.id FROM audit_auditevent e, json_each(e.details, '$.subjects') s "
        "WHERE json_type(e.details, '$.subjects') IS NOT NULL AND s.value = %s",
        [subject_id],
    )
    return Q(subject_id=subject_id) | Q(pk__in=listed)


def subject_in_log(actor, subject_id: str) -> bool:
    """Whether the own organisation's log mentions the person at all. Loggkontroll
    treats a person it does not mention like an unknown number, so that it cannot be
    used to learn who is in the register because another organisation knows them."""
    return _scoped(actor).filter(mentions(subject_id)).exists()


def events_for_subject(actor, subject_id: str, *, action: str = Action.READ, limit=1000):
    # The rows may come from a read replica; the audit row of this read goes to the
    # primary (core/replicas.py).
    with replicas.reading():
        rows = list(_scoped(actor).filter(mentions(subject_id)).order_by("-occurred_at")[:limit])
    services.event_record(
        actor=actor,
        action=action,
        resource_type="audit.log",
        subject_id=subject_id,
        ground=services.LOG_CONTROL,
        details={"rows": len(rows), "view": "subject"},
    )
    return rows


def events_for_user(actor, username: str, *, action: str = Action.READ, limit=1000):
    with replicas.reading():
        rows = list(_scoped(actor).filter(actor_username=username).order_by("-occurred_at")[:limit])
    services.event_record(
        actor=actor,
        action=action,
        resource_type="audit.log",
        resource_id=username,
        ground=services.LOG_CONTROL,
        details={"rows": len(rows), "view": "user"},
    )
    return rows


def recent_events(actor, *, limit=50):
    return list(_scoped(actor).order_by("-id")[:limit])


def usernames(actor) -> list[str]:
    return list(
        _scoped(actor)
        .exclude(actor_username="")
        .values_list("actor_username", flat=True)
        .distinct()
        .order_by("actor_username")
    )
