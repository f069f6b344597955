"""Writes of the administration pages (and of the bulk import and `samverkan setup`):
huvudmän, organisations, units, functions, staff accounts and contact functions.

Each function is one transaction with its audit row (ground: administration), checks
the actor with ``policies`` (deny by default) and validates its input against
``core.bounds``. Nothing is deleted: organisations, units and functions are deactivated,
staff accounts end; the audit log keeps referring to them.

One module per flow: ``organisations`` (huvudmän and organisations, by a system
administrator), ``units``, ``functions``, ``staff``, ``contact_functions`` (by a local
administrator), ``first_run`` (`samverkan setup`); ``common`` holds what they share."""

from .contact_functions import (
    contact_function_hand_over,
    contact_function_save,
    contact_function_vacate,
)
from .first_run import first_system_administrator
from .functions import ASSIGNABLE_PERMISSIONS, function_for, function_save
from .organisations import organisation_save, principal_save
from .staff import (
    staff_account_create,
    staff_account_deactivate,
    staff_account_update,
    staff_password_reset,
)
from .units import unit_for, unit_save

__all__ = [
    "ASSIGNABLE_PERMISSIONS",
    "contact_function_hand_over",
    "contact_function_save",
    "contact_function_vacate",
    "first_system_administrator",
    "function_for",
    "function_save",
    "organisation_save",
    "principal_save",
    "staff_account_create",
    "staff_account_deactivate",
    "staff_account_update",
    "staff_password_reset",
    "unit_for",
    "unit_save",
]
