"""The check an anonymised text must pass before it is saved (R14): nothing in it may
identify a child. Flags

- personnummer and samordningsnummer (checked with the people app's parser; a
  date-shaped number that fails the check digit still points at a person), dates that
  may be a date of birth, telephone numbers, e-mail addresses (also written "anna (at)
  example.se", "[at]", "snabel-a"), street addresses and postal codes;
- names: ordinary Swedish first names and surnames (``namelists``: Isof's and
  Skatteverket's statistics through Faker), surname patterns ("-sson", "-berg", ...),
  and the names of the children and guardians the author may already see;
- the names of units, classes ("7B", "klass 3A") and preschool departments;
- as a *warning*, a small group that re-identifies: a class or year + an age + a rare
  event ("årskurs 8", "14 år", "självmordsförsök").

Every finding in the text is reported at once. A finding says *what* looks identifying
("ett förnamn", "ett datum som kan vara ett födelsedatum"), never which list matched,
so the check cannot be used to learn whether a name is registered anywhere; and the
names the caller passes are only those the author may already see.

Every pattern runs in time linear in the text: tokens are found once with
possessive quantifiers, the other patterns start only at a word boundary and their
repetitions are bounded. ``tests/test_linear_text.py`` runs each check on 1 MB of
adversarial input within a fixed budget.

The kinds, a finding and the lexicon are in ``deidentify_findings``, the patterns for
numbers, dates and addresses in ``deidentify_numbers``, the names, units and the small
group in ``deidentify_names``; this module runs them (``check``, ``check_fields``,
``summary``) and is what the rest of the code imports (it re-exports the public names).

Pure functions: the caller passes the author's names and the unit names (see
``services.check_anonymised``), so the check is the same in the browser, the API and
the tests.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django.utils import timezone

from .deidentify_findings import (
    ADDRESS,
    BIRTH_DATE,
    CLASS,
    DESCRIPTION,
    EMAIL,
    ERROR,
    FIRST_NAME,
    FULL_NAME,
    LIMIT,
    NUMBER,
    PATTERN,
    PERSONAL_NUMBER,
    PHONE,
    POSTAL_CODE,
    SMALL_GROUP,
    SURNAME,
    UNIT,
    WARNING,
    Finding,
    Lexicon,
    base_lexicon,
    lexicon,
    words_sv,
)
from .deidentify_names import _names, _small_group, _units, _Words
from .deidentify_numbers import (
    _ADDRESS,
    _POSTAL_CODE,
    _STREET_ENDINGS,
    _classes,
    _dates,
    _emails,
    _pattern,
    _personal_numbers,
    _phones,
)


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    """Where passages overlap the longer one wins; the result is in text order.
    One sweep over the passages sorted by start (kept passages never overlap, so only
    the last one kept can overlap the next)."""
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if kept and finding.start < kept[-1].end:
            if finding.end - finding.start > kept[-1].end - kept[-1].start:
                kept[-1] = finding
            continue
        kept.append(finding)
    return kept


def check(
    text: str,
    *,
    lex: Lexicon | None = None,
    person_names: Iterable[str] = (),
    unit_names: Iterable[str] = (),
    today: datetime.date | None = None,
) -> list[Finding]:
    """Every identifying passage in ``text`` (errors, then warnings); empty when the
    text may be saved. ``person_names`` (whole names or parts) and ``unit_names`` are
    added to ``lex`` (by default the base lists)."""
    if lex is None or person_names or unit_names:
        names = list(person_names)
        lex = lexicon(first_names=names, surnames=names, unit_names=unit_names)
    return check_fields([("", text)], lex=lex, today=today)


_DIGIT = re.compile(r"\d")
_EMAIL_WORDS = frozenset({"at", "a", "snabel", "snabel-a"})


def _errors(text: str, lex: Lexicon, today: datetime.date, words: _Words, classes) -> list:
    """The errors in one field. Patterns that cannot match are skipped (no digit: no
    number, date or class; no "@" or "at": no e-mail; no street-like word: no
    address), so ordinary text costs little more than one pass of the tokenizer."""
    found = classes + _units(lex, words) + _names(lex, words)
    folded = {w.casefold() for w in words.unique}
    if "@" in text or folded & _EMAIL_WORDS:
        found += _emails(text)
    if _DIGIT.search(text):
        found += _personal_numbers(text) + _phones(text) + _dates(text, today)
        found += _pattern(_POSTAL_CODE, POSTAL_CODE, text)
        if "skyddad" in folded or any(w.endswith(_STREET_ENDINGS) for w in folded):
            found += _pattern(_ADDRESS, ADDRESS, text)
    return _without_overlaps(found)


def check_fields(
    fields: Iterable[tuple[str, str]], *, lex: Lexicon, today: datetime.date | None = None
) -> list[Finding]:
    """Every finding in every field, each marked with its field: the errors of each
    field in text order, then the small-group warning, which looks at the fields
    together (the title may hold the class, the text the event)."""
    today = today or timezone.localdate()
    found: list[Finding] = []
    parts = []
    for name, text in fields:
        text = text or ""
        words, classes = _Words(text), _classes(text)
        parts.append((name, words, classes))
        found += [
            Finding(f.start, f.end, f.text, f.kind, f.severity, name)
            for f in _errors(text, lex, today, words, classes)
        ]
    return found + _small_group(parts)


SUMMARY_PASSAGES = 10


def summary(findings: list[Finding]) -> str:
    """One message for the whole text: each passage and what it looks like (the first
    few; the rest are counted), then the small-group warning."""
    errors = [f for f in findings if f.severity == ERROR]
    parts = []
    if errors:
        listed = "; ".join(
            f"”{f.text}” ser ut som {DESCRIPTION[f.kind]}" for f in errors[:SUMMARY_PASSAGES]
        )
        more = len(errors) - SUMMARY_PASSAGES
        if more > 0:
            listed += f" – och {more} ställen till"
        parts.append(
            f"Texten innehåller något som kan identifiera ett barn: {listed}. Skriv om utan det."
        )
    parts += [f.message for f in findings if f.severity == WARNING]
    return " ".join(parts)


__all__ = [
    "ADDRESS",
    "BIRTH_DATE",
    "CLASS",
    "DESCRIPTION",
    "EMAIL",
    "ERROR",
    "FIRST_NAME",
    "FULL_NAME",
    "LIMIT",
    "NUMBER",
    "PATTERN",
    "PERSONAL_NUMBER",
    "PHONE",
    "POSTAL_CODE",
    "SMALL_GROUP",
    "SUMMARY_PASSAGES",
    "SURNAME",
    "UNIT",
    "WARNING",
    "Finding",
    "Lexicon",
    "base_lexicon",
    "check",
    "check_fields",
    "lexicon",
    "summary",
    "words_sv",
]
