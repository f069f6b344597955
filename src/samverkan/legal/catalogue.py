"""The catalogue of legal grounds (``data/grounds.yaml``), validated against
``data/grounds.schema.json`` (jsonschema-rs) and a few checks a schema cannot express
(dates in order, codes unique, a judgement before a balancing).

``permits(ground, from_type, to_type, category, at, ...)`` is the question every
cross-organisation decision asks of a ground: is it in force at ``at``, does it go in this
direction, does it cover this category, is the person young enough, are both sides
authorities where the ground asks for it. It answers with a ``Verdict`` whose reason is
plain Swedish and names no other organisation's facts.

A catalogue is parsed from a dict, so a past version stored in the database
(``models.CatalogueVersion``) is read with the same code as the file (see ``history``).
``load()`` is the catalogue in force today: the newest stored version adopted on or
before today (the file, or a version approved in the product, decision 0300);
``from_file()`` is the repository's file, the seed and the source of docs/legal.md.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema_rs
import yaml
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core import request_context

DATA = Path(__file__).parent / "data"
PATH = DATA / "grounds.yaml"
SCHEMA_PATH = DATA / "grounds.schema.json"
ANY = "*"
# A statute reference: the law's name, its SFS number and the place in it, e.g.
# "Offentlighets- och sekretesslag (2009:400) 10 kap. 15 a §" or "Polislag (1984:387) 2 §".
STATUTE = re.compile(
    r"–"  # no such provision (in the old law, for a new one)
    r"|[A-ZÅÄÖ][A-Za-zÅÄÖåäöé ,\-]{2,120} \((1[89]|20)\d\d:\d{1,4}\)"
    r"(( \d{1,2}( [a-z])? kap\.)? \d{1,3}( [a-z])? §( (första|andra|tredje|fjärde|femte) stycket)?"
    r"( (och|eller) \d{1,3}( [a-z])? §)?"
    r"|, [a-zåäö][^\n]{2,200})"  # a provision named in words, until its number is checked
)
STATUTE_FORM = (
    "Lagens namn (ÅÅÅÅ:NNN) K kap. P §, t.ex. Offentlighets- och sekretesslag (2009:400) "
    "10 kap. 15 a §, eller – där lagen inte hade någon sådan bestämmelse"
)
# The organisation types a direction may name (the schema's orgType).
ORG_TYPES = (
    "*",
    "forskola",
    "skola",
    "elevhalsa",
    "socialtjanst",
    "bup",
    "barnhalsovard",
    "vardcentral",
    "polis",
    "annan",
)
# Principal kinds that are not authorities (directory.models.PrincipalKind).
NOT_AUTHORITIES = {"privat", "ideell"}


@dataclass(frozen=True)
class Statute:
    old: str
    new: str
    verify: bool = False


@dataclass(frozen=True)
class Direction:
    sources: tuple[str, ...]
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str = ""


@dataclass(frozen=True)
class Ground:
    code: str
    name: str
    summary: str
    statutes: tuple[Statute, ...]
    effective_from: datetime.date
    effective_to: datetime.date | None
    directions: tuple[Direction, ...]
    categories: tuple[str, ...]
    secrecy_excluded: str
    judgement: bool
    balancing: bool
    under_age: int | None
    authorities_only: bool
    checked_by_product: tuple[str, ...]
    conditions: tuple[str, ...]
    alternatives: tuple[str, ...]
    name_en: str = ""
    summary_en: str = ""

    @property
    def statute_text(self) -> str:
        return "; ".join(s.new for s in self.statutes)

    def in_force(self, day: datetime.date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


@dataclass(frozen=True)
class Catalogue:
    name: str
    version: str
    adopted_on: datetime.date
    reviewed_by: str
    review_note: str
    named_only: frozenset[str]
    grounds: tuple[Ground, ...]
    digest: str

    def get(self, code: str) -> Ground:
        for ground in self.grounds:
            if ground.code == code:
                return ground
        raise KeyError(code)

    def in_force(self, day: datetime.date) -> list[Ground]:
        return [g for g in self.grounds if g.in_force(day)]

    def _matches(self, allowed: tuple[str, ...], org_type: str) -> bool:
        if org_type in allowed:
            return True
        return ANY in allowed and org_type not in self.named_only

    def goes(self, ground: Ground, from_type: str, to_type: str) -> bool:
        return any(
            self._matches(d.sources, from_type) and self._matches(d.targets, to_type)
            for d in ground.directions
        )

    def permits(
        self,
        ground: Ground | str,
        *,
        from_type: str,
        to_type: str,
        category: str,
        at: datetime.datetime | datetime.date,
        age: int | None = None,
        from_kind: str = "",
        to_kind: str = "",
    ) -> Verdict:
        ground = self.get(ground) if isinstance(ground, str) else ground
        day = at.date() if isinstance(at, datetime.datetime) else at
        if day < ground.effective_from:
            return Verdict(
                False,
                _("%(name)s gäller först från %(date)s.")
                % {"name": ground.name, "date": ground.effective_from.isoformat()},
            )
        if ground.effective_to is not None and day > ground.effective_to:
            return Verdict(
                False,
                _("%(name)s gällde bara till %(date)s.")
                % {"name": ground.name, "date": ground.effective_to.isoformat()},
            )
        if not self.goes(ground, from_type, to_type):
            return Verdict(
                False,
                _("%(name)s gäller inte från den här sortens verksamhet till mottagarens.")
                % {"name": ground.name},
            )
        if ANY not in ground.categories and category not in ground.categories:
            return Verdict(
                False, _("%(name)s omfattar inte den kategorin.") % {"name": ground.name}
            )
        if ground.under_age is not None and (age is None or age >= ground.under_age):
            return Verdict(
                False,
                _("%(name)s gäller bara den som är under %(age)s år.")
                % {"name": ground.name, "age": ground.under_age},
            )
        if ground.authorities_only and ({from_kind, to_kind} & NOT_AUTHORITIES):
            return Verdict(
                False,
                _("%(name)s gäller bara mellan myndigheter, inte en enskild huvudman.")
                % {"name": ground.name},
            )
        return Verdict(True)


def _validator():
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        return jsonschema_rs.validator_for(json.load(handle), validate_formats=True)


def _jsonable(value):
    """YAML reads bare dates as dates; the schema and the stored history want text."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def errors(data: dict) -> list[str]:
    """Every reason ``data`` is not a valid catalogue (empty when it is)."""
    data = _jsonable(data)
    found = [
        f"/{'/'.join(map(str, e.instance_path))}: {e.message}"
        for e in _validator().iter_errors(data)
    ]
    if found:
        return found
    codes = [g["code"] for g in data["grounds"]]
    if len(codes) != len(set(codes)):
        found.append(_("Två grunder har samma kod."))
    for ground in data["grounds"]:
        start, end = ground["effective_from"], ground.get("effective_to")
        if end and end < start:
            found.append(f"{ground['code']}: effective_to före effective_from")
        if ground.get("balancing") and not ground["judgement"]:
            found.append(f"{ground['code']}: en intresseavvägning kräver judgement: true")
        for statute in ground["statutes"]:
            for text in (statute["old"], statute["new"]):
                if not STATUTE.fullmatch(text):
                    found.append(
                        f"{ground['code']}: lagrummet {text!r} har inte formen " + STATUTE_FORM
                    )
        if ground["judgement"] and not ground["conditions"]:
            found.append(f"{ground['code']}: en grund som kräver bedömning behöver villkor")
    if "consent" not in codes:
        found.append(_("Katalogen saknar grunden consent (samtycke)."))
    return found


def _day(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def parse(data: dict) -> Catalogue:
    """A catalogue from its data; ImproperlyConfigured with every error when invalid."""
    problems = errors(data)
    if problems:
        raise ImproperlyConfigured(f"{PATH.name}: " + "; ".join(problems))
    data = _jsonable(data)
    grounds = tuple(
        Ground(
            code=g["code"],
            name=g["name"],
            summary=" ".join(g["summary"].split()),
            statutes=tuple(Statute(**s) for s in g["statutes"]),
            effective_from=_day(g["effective_from"]),
            effective_to=_day(g.get("effective_to")),
            directions=tuple(Direction(tuple(d["from"]), tuple(d["to"])) for d in g["directions"]),
            categories=tuple(g["categories"]),
            secrecy_excluded=" ".join(g["secrecy_excluded"].split()),
            judgement=g["judgement"],
            balancing=g.get("balancing", False),
            under_age=g.get("under_age"),
            authorities_only=g.get("authorities_only", False),
            checked_by_product=tuple(g.get("checked_by_product", [])),
            conditions=tuple(g["conditions"]),
            alternatives=tuple(g["alternatives"]),
            name_en=g.get("name_en", ""),
            summary_en=" ".join(g.get("summary_en", "").split()),
        )
        for g in data["grounds"]
    )
    return Catalogue(
        name=data["catalogue"],
        version=data["version"],
        adopted_on=_day(data["adopted_on"]),
        reviewed_by=data["review"]["function"],
        review_note=" ".join(data["review"].get("note", "").split()),
        named_only=frozenset(data["named_only"]),
        grounds=grounds,
        digest=digest(data),
    )


def digest(data: dict) -> str:
    canonical = json.dumps(_jsonable(data), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def read_file() -> dict:
    with PATH.open(encoding="utf-8") as handle:
        return _jsonable(yaml.safe_load(handle) or {})


MEMO = "legal.catalogue"


@cache
def from_file() -> Catalogue:
    """The catalogue in the repository's file (the seed; docs/legal.md)."""
    return parse(read_file())


def load() -> Catalogue:
    """The catalogue in force today (``history.in_force``), asked once per request: every
    cross-organisation decision wants it, and each ask is two cache round trips (the
    generation and the day's version). A version recorded during the request drops the
    memo (``history.forget``); decision 0342."""
    from . import history  # history reads the stored versions with this module

    day = timezone.localdate()
    return request_context.memoised((MEMO, day), lambda: history.in_force(day))
