"""Writes to the children register. One transaction each, audited with the ground.

The public entry of the writes; one module per flow: ``registration`` (registering and
enrolling a child), ``custody`` (guardians and custody), ``involvements`` (an
organisation's matters with a child); ``writes`` holds what they share."""

from .custody import (
    GuardianInput,
    custody_end,
    guardian_add,
    guardian_correct,
    guardian_replace,
    guardians_from_register,
)
from .involvements import (
    involvement_change_context,
    involvement_end,
    involvement_move,
    involvement_open_for_report,
    involvement_record_protected_need,
    involvement_set_context_for_investigation,
)
from .registration import child_register, enrolment_add
from .writes import SCHOOL_TYPES

__all__ = [
    "SCHOOL_TYPES",
    "GuardianInput",
    "child_register",
    "custody_end",
    "enrolment_add",
    "guardian_add",
    "guardian_correct",
    "guardian_replace",
    "guardians_from_register",
    "involvement_change_context",
    "involvement_end",
    "involvement_move",
    "involvement_open_for_report",
    "involvement_record_protected_need",
    "involvement_set_context_for_investigation",
]
