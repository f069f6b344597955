"""Who receives what is addressed to an organisation or escalated in it (data in
data/receivers.json, so routines change without code)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from samverkan.directory import selectors as directory

_FILE = Path(__file__).parent / "data" / "receivers.json"


@cache
def _data() -> dict:
    return json.loads(_FILE.read_text(encoding="utf-8"))


def sip_call_functions(organisation_type: str) -> list[str]:
    return list(_data()["sip_call"].get(organisation_type, []))


def unit_functions() -> list[str]:
    return list(_data()["unit"])


def sms_kinds() -> frozenset[str]:
    return frozenset(_data().get("sms", []))


def intake_functions() -> list[str]:
    return list(_data()["intake"])


def manager_function(organisation_id: int) -> str:
    """The organisation's manager function: the first in the list that someone holds
    outside any unit (who leads the organisation as a whole), else the first anyone
    there holds, else the first (the item waits for whoever takes the function)."""
    codes = _data()["managers"]
    held = [(code, directory.function_holders(organisation_id, code)) for code in codes]
    for code, holders in held:
        if any(m.unit_id is None for m in holders):
            return code
    for code, holders in held:
        if holders:
            return code
    return codes[0]


def unit_manager_function(organisation_id: int, unit_id: int) -> str | None:
    """The manager function held in the unit (the first in the list that someone in the
    unit holds now), or None when the unit has no manager."""
    for code in _data()["managers"]:
        if directory.function_holders(organisation_id, code, unit_id):
            return code
    return None
