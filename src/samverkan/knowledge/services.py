"""Writes to the shared knowledge. Each function is one transaction with its audit row.

Shared content (actors, concepts, factors, methods, checklist suggestions) is edited by
administrators (``directory.manage``, see docs/decisions/0010-*); every edit bumps the
entry's version, refuses a stale write and leaves an ``EntryVersion``. A user's own
checklist is theirs alone. ``actor=None`` means the system (migrations, demo loader).

The public entry of the writes; one module per flow: ``entries`` (shared content),
``factor_tags``, ``checklists``, ``events``, ``competence``; ``writes`` holds what
they share."""

from .checklists import (
    MAX_CHECKLIST_ITEMS,
    checklist_item_add,
    checklist_item_mark,
    checklist_item_remove,
    checklist_suggestions_choose,
)
from .competence import competence_item_add, competence_item_status_set, competence_plan_create
from .entries import catalogue_sync, entry_create, entry_update
from .events import (
    event_attendance_record,
    event_cancel,
    event_create,
    event_register,
    event_unregister,
    event_update,
)
from .factor_tags import factor_tags_remove_for_retention, factor_tags_set
from .writes import MANAGE, may_manage, may_manage_actor

__all__ = [
    "MANAGE",
    "MAX_CHECKLIST_ITEMS",
    "catalogue_sync",
    "checklist_item_add",
    "checklist_item_mark",
    "checklist_item_remove",
    "checklist_suggestions_choose",
    "competence_item_add",
    "competence_item_status_set",
    "competence_plan_create",
    "entry_create",
    "entry_update",
    "event_attendance_record",
    "event_cancel",
    "event_create",
    "event_register",
    "event_unregister",
    "event_update",
    "factor_tags_remove_for_retention",
    "factor_tags_set",
    "may_manage",
    "may_manage_actor",
]
