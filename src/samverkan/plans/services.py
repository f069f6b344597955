"""Writes of plans. Each function is one transaction and writes its audit row with the
legal ground in that transaction. The content of a plan is never edited in place:
every save and every follow-up adds an immutable ``PlanVersion``; a save based on an
older version is refused (``StaleWrite``), so nothing anybody wrote is lost.

The public entry of the writes; one module per flow: ``opening`` (start, acknowledge,
prepare; other plans), ``editing`` (saving the content), ``followup`` (follow-ups,
closing, the sweep); ``writes`` holds what they share."""

from .editing import (
    PATCHABLE,
    TARGET_TYPE,
    EffortInput,
    PlanIncomplete,
    inputs_from_content,
    plan_patch,
    plan_save,
)
from .followup import UNCHANGED, AssessmentInput, followup_record, plan_close, plans_sweep
from .opening import other_plan_add, plan_acknowledge, plan_prepare, plan_start
from .writes import ConsentMissing, latest_content

__all__ = [
    "PATCHABLE",
    "TARGET_TYPE",
    "UNCHANGED",
    "AssessmentInput",
    "ConsentMissing",
    "EffortInput",
    "PlanIncomplete",
    "followup_record",
    "inputs_from_content",
    "latest_content",
    "other_plan_add",
    "plan_acknowledge",
    "plan_close",
    "plan_patch",
    "plan_prepare",
    "plan_save",
    "plan_start",
    "plans_sweep",
]
