"""What the de-identification check (``deidentify``) reports and the words it knows: the
kinds of passage and their descriptions, a finding, and the lexicon of names (the base
lists, ``namelists``, plus the names the author may see and the unit names)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import islice
from pathlib import Path

from . import namelists

PERSONAL_NUMBER = "personnummer"


NUMBER = "nummer"


BIRTH_DATE = "fodelsedatum"


PHONE = "telefonnummer"


EMAIL = "e-postadress"


ADDRESS = "adress"


POSTAL_CODE = "postnummer"


FIRST_NAME = "fornamn"


SURNAME = "efternamn"


FULL_NAME = "namn"


UNIT = "enhet"


CLASS = "klass"


SMALL_GROUP = "liten-grupp"


PATTERN = "pattern"  # internal: a word shaped like a surname


ERROR = "error"


WARNING = "warning"


DESCRIPTION = {
    PERSONAL_NUMBER: "ett personnummer eller samordningsnummer",
    NUMBER: "ett nummer som kan vara ett personnummer",
    BIRTH_DATE: "ett datum som kan vara ett födelsedatum",
    PHONE: "ett telefonnummer",
    EMAIL: "en e-postadress",
    ADDRESS: "en adress",
    POSTAL_CODE: "ett postnummer",
    FIRST_NAME: "ett förnamn",
    SURNAME: "ett efternamn",
    FULL_NAME: "ett namn",
    UNIT: "namnet på en enhet eller avdelning",
    CLASS: "namnet på en klass",
}


_WORDS_FILE = Path(__file__).parent / "data" / "deidentify_sv.json"


_L = r"[^\W\d_]"  # a letter, including å, ä, ö and é


# Words: letters, joined by hyphens or apostrophes ("Anna-Karin", "O'Neil").
_TOKEN = re.compile(rf"{_L}++(?:[-'’]{_L}++)*+")


# At most this many passages of one kind per field are reported: a field with more is
# refused all the same, and nobody reads a longer list. It also keeps a megabyte of
# adversarial input (a million "7B") cheap.
LIMIT = 200


def _matches(regex: re.Pattern, text: str):
    return islice(regex.finditer(text), LIMIT)


@dataclass(frozen=True, slots=True)
class Finding:
    """One identifying passage: where it is in the field, what it looks like, and
    whether it stops the text from being saved (``error``) or needs the author's
    confirmation (``warning``)."""

    start: int
    end: int
    text: str
    kind: str
    severity: str = ERROR
    field: str = ""
    detail: str = ""

    @property
    def message(self) -> str:
        if self.kind == SMALL_GROUP:
            return (
                f"Texten nämner {self.detail}. Tillsammans kan det peka ut ett barn i en liten "
                "grupp. Skriv mer allmänt, eller bekräfta att ingen kan kännas igen."
            )
        return f"”{self.text}” ser ut som {DESCRIPTION[self.kind]}. Skriv om utan det."


@dataclass(frozen=True)
class Lexicon:
    """Everything the name checks need, case-folded. ``known`` are the names of people
    the author may see (flagged also in lower case when they are not ordinary words)."""

    first_names: frozenset[str]
    surnames: frozenset[str]
    ordinary: frozenset[str]
    suffixes: tuple[str, ...]
    known: frozenset[str] = frozenset()
    units: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def kind(self, word: str) -> str | None:
        if word in self.first_names:
            return FIRST_NAME
        if word in self.surnames:
            return SURNAME
        return None


@cache
def words_sv() -> dict:
    with _WORDS_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


@cache
def base_lexicon() -> Lexicon:
    data = namelists.load()
    return Lexicon(
        first_names=frozenset(n.casefold() for n in data["first_names"]),
        surnames=frozenset(n.casefold() for n in data["surnames"]),
        ordinary=frozenset(data["ordinary_words"]),
        suffixes=tuple(data["surname_suffixes"]),
    )


def _parts(name: str) -> list[str]:
    return [t.casefold() for t in _TOKEN.findall(name or "") if len(t) >= 2]


def lexicon(
    *,
    first_names: Iterable[str] = (),
    surnames: Iterable[str] = (),
    unit_names: Iterable[str] = (),
) -> Lexicon:
    """The base lists plus the names the author may see and the unit names."""
    base = base_lexicon()
    first = {p for n in first_names for p in _parts(n)}
    last = {p for n in surnames for p in _parts(n)}
    units: dict[str, list[str]] = {}
    for name in unit_names:
        head = _TOKEN.search(name or "")
        if head is not None and head.start() == 0:
            units.setdefault(head.group(0).casefold(), []).append(name.strip().casefold())
    first_names = base.first_names | (first - base.surnames)
    return replace(
        base,
        first_names=first_names,
        surnames=base.surnames | (last - first_names),
        known=frozenset(first | last),
        units={k: tuple(sorted(v, key=len, reverse=True)) for k, v in units.items()},
    )
