"""The kinds of handover (``data/kinds.yaml``, validated against
``data/kinds.schema.json`` and against the catalogue of legal grounds: every ground a
kind names must be a ground of the catalogue). A kind narrows what the catalogue
allows, never widens it: the ground's own directions, categories and dates are asked of
the catalogue when a packet is sent and again when it is read."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema_rs
import yaml
from django.core.exceptions import ImproperlyConfigured

from samverkan.legal import catalogue

DATA = Path(__file__).parent / "data"
INFORM = "inform"
INFORM_OR_WITHHOLD = "inform_or_withhold"
CARRY = "carry"


@dataclass(frozen=True)
class Kind:
    code: str
    name: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    grounds: tuple[str, ...]
    categories: tuple[str, ...]
    guardians: str
    receiver_context: str
    never: tuple[str, ...]

    @property
    def may_withhold_notice(self) -> bool:
        return self.guardians == INFORM_OR_WITHHOLD

    def goes(self, from_type: str, to_type: str) -> bool:
        return from_type in self.sources and to_type in self.targets


def errors(data: dict) -> list[str]:
    with (DATA / "kinds.schema.json").open(encoding="utf-8") as handle:
        validator = jsonschema_rs.validator_for(json.load(handle))
    found = [
        f"/{'/'.join(map(str, e.instance_path))}: {e.message}" for e in validator.iter_errors(data)
    ]
    if found:
        return found
    codes = [k["code"] for k in data["kinds"]]
    if len(codes) != len(set(codes)):
        found.append("two kinds have the same code")
    known = {g.code for g in catalogue.from_file().grounds}  # codes come only from the file
    for kind in data["kinds"]:
        found += [
            f"{kind['code']}: ground {code} is not in the catalogue"
            for code in kind["grounds"]
            if code not in known
        ]
    return found


def parse(data: dict) -> tuple[Kind, ...]:
    problems = errors(data)
    if problems:
        raise ImproperlyConfigured("kinds.yaml: " + "; ".join(problems))
    return tuple(
        Kind(
            code=k["code"],
            name=k["name"],
            sources=tuple(k["from"]),
            targets=tuple(k["to"]),
            grounds=tuple(k["grounds"]),
            categories=tuple(k["categories"]),
            guardians=k["guardians"],
            receiver_context=k["receiver_context"],
            never=tuple(k["never"]),
        )
        for k in data["kinds"]
    )


@cache
def load() -> tuple[Kind, ...]:
    with (DATA / "kinds.yaml").open(encoding="utf-8") as handle:
        return parse(yaml.safe_load(handle))


def get(code: str) -> Kind:
    for kind in load():
        if kind.code == code:
            return kind
    raise KeyError(code)


def for_types(from_type: str, to_type: str) -> list[Kind]:
    return [k for k in load() if k.goes(from_type, to_type)]
