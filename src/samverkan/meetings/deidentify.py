"""The check an anonymised case consultation must pass before it is saved: nothing in
the free text may identify a child. Flags personnummer and samordningsnummer (checked
with the people app's parser; date-shaped numbers that fail the check digit are flagged
too, as a mistyped number still points at a person), phone numbers, e-mail addresses,
street addresses and postal codes, the names of children and guardians known to the
author's organisation, and the names of units.

Pure functions: the caller passes the names (see ``selectors.identifying_names``), so
the check is the same in the browser, the API and the tests."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from samverkan.core.errors import ValidationFailed
from samverkan.people import identity

PERSONAL_NUMBER = "personnummer"
NUMBER = "nummer"
PHONE = "telefonnummer"
EMAIL = "e-postadress"
ADDRESS = "adress"
POSTAL_CODE = "postnummer"
NAME = "namn"
UNIT = "enhet"

_WORD = r"[^\W\d_]"  # a letter, including å, ä, ö and é

_PERSONAL_NUMBER = re.compile(r"(?<![\d])((?:\d{2})?\d{6})\s?([-+]?)\s?(\d{4})(?![\d])")
_PHONE = re.compile(r"(?<![\w+])(?:\+46|0046|0)[\s-]?\(?\d[\d\s()–-]{5,16}\d(?![\d])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_STREET_SUFFIXES = (
    "vägen|väg|gatan|gata|gränd|gränden|stigen|stig|backen|backe|allén|allé|torget|torg|"
    "leden|led|plan|stranden|strand|slingan|liden|lid|parken|ringen|vägen"
)
_ADDRESS = re.compile(
    rf"(?<!{_WORD})(?:{_WORD}+(?:{_STREET_SUFFIXES})|[Ss]kyddad adress)"
    r"\s+\d{1,4}(?:\s?[A-Za-z](?!\w))?(?!\d)",
    re.IGNORECASE,
)
_POSTAL_CODE = re.compile(r"(?<![\d])\d{3}\s?\d{2}(?![\d])(?=\s+[A-ZÅÄÖ]" + _WORD + r"+)")


@dataclass(frozen=True)
class Finding:
    """One identifying passage: where it is, what it is, and what to do."""

    start: int
    end: int
    text: str
    kind: str

    @property
    def message(self) -> str:
        return f"”{self.text}” ser ut som {_ARTICLE[self.kind]}. Skriv om utan det."


_ARTICLE = {
    PERSONAL_NUMBER: "ett personnummer",
    NUMBER: "ett personnummer (med fel kontrollsiffra)",
    PHONE: "ett telefonnummer",
    EMAIL: "en e-postadress",
    ADDRESS: "en adress",
    POSTAL_CODE: "ett postnummer",
    NAME: "namnet på ett barn eller en vårdnadshavare som verksamheten känner",
    UNIT: "namnet på en enhet",
}


def _date_like(digits: str) -> bool:
    """True when the date part of a 10- or 12-digit number is a real date (day + 60
    for a samordningsnummer)."""
    if len(digits) == 10:
        year, rest = 2000 + int(digits[:2]), digits[2:]
    else:
        year, rest = int(digits[:4]), digits[4:]
    month, day = int(rest[:2]), int(rest[2:4])
    if day > 60:
        day -= 60
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _personal_numbers(text: str) -> list[Finding]:
    found = []
    for match in _PERSONAL_NUMBER.finditer(text):
        digits = match.group(1) + match.group(3)
        if not _date_like(digits):
            continue
        try:
            identity.parse(f"{match.group(1)}-{match.group(3)}")
            kind = PERSONAL_NUMBER
        except ValidationFailed:
            kind = NUMBER  # a date-shaped number with four more digits: still a person
        found.append(Finding(match.start(), match.end(), match.group(0), kind))
    return found


def _phones(text: str) -> list[Finding]:
    found = []
    for match in _PHONE.finditer(text):
        digits = sum(ch.isdigit() for ch in match.group(0))
        if 7 <= digits <= 13:
            found.append(Finding(match.start(), match.end(), match.group(0).strip(), PHONE))
    return found


def _pattern(regex: re.Pattern, kind: str, text: str) -> list[Finding]:
    return [Finding(m.start(), m.end(), m.group(0), kind) for m in regex.finditer(text)]


def _names(text: str, names, kind: str) -> list[Finding]:
    """Whole-word matches of each name, case-insensitive, written with a capital letter
    in the text (so "berg" in "berg och dal" is not the surname Berg)."""
    found = []
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len):
        regex = re.compile(rf"(?<!{_WORD}){re.escape(name)}(?!{_WORD})", re.IGNORECASE)
        for match in regex.finditer(text):
            if kind == NAME and not match.group(0)[0].isupper():
                continue
            found.append(Finding(match.start(), match.end(), match.group(0), kind))
    return found


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    """Longest passage first wins; the result is in text order."""
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (-(f.end - f.start), f.start)):
        if all(finding.end <= k.start or finding.start >= k.end for k in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


def check(text: str, *, person_names=(), unit_names=()) -> list[Finding]:
    """Every identifying passage in ``text``; empty when the text may be saved."""
    text = text or ""
    findings = (
        _personal_numbers(text)
        + _phones(text)
        + _pattern(_EMAIL, EMAIL, text)
        + _pattern(_ADDRESS, ADDRESS, text)
        + _pattern(_POSTAL_CODE, POSTAL_CODE, text)
        + _names(text, person_names, NAME)
        + _names(text, unit_names, UNIT)
    )
    return _without_overlaps(findings)


def summary(findings: list[Finding]) -> str:
    return "Texten innehåller uppgifter som kan identifiera barnet: " + " ".join(
        f.message for f in findings
    )
