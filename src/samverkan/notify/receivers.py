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


def intake_functions() -> list[str]:
    return list(_data()["intake"])


def manager_function(organisation_id: int) -> str:
    """The organisation's manager function: the first in the list that someone holds
    now, else the first (the item waits there for whoever takes the function)."""
    codes = _data()["managers"]
    for code in codes:
        if directory.function_holders(organisation_id, code):
            return code
    return codes[0]
