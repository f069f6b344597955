"""The de-identification check's patterns for numbers, dates and addresses:
personnummer and samordningsnummer, telephone numbers, e-mail addresses (also
obfuscated), street addresses and postal codes, dates that may be a date of birth, and
classes. Each starts only at a word boundary and its repetitions are bounded."""

from __future__ import annotations

import datetime
import re

from samverkan.core.errors import ValidationFailed
from samverkan.people import identity

from .deidentify_findings import (
    _L,
    _TOKEN,
    BIRTH_DATE,
    CLASS,
    EMAIL,
    NUMBER,
    PERSONAL_NUMBER,
    PHONE,
    Finding,
    _matches,
    words_sv,
)

_PERSONAL_NUMBER = re.compile(r"(?<!\d)((?:\d{2})?\d{6})\s?([-+]?)\s?(\d{4})(?!\d)")


_PHONE = re.compile(r"(?<![\w+])(?:\+46|0046|0)[\s-]?\(?\d[\d\s()–-]{5,16}\d(?!\d)")


# E-mail, plain or obfuscated: "a.b@c.se", "a.b (at) c.se", "a.b [at] c punkt se",
# "a.b snabel-a c.se". Starts only at a word boundary; every repetition is bounded.
_OPEN, _CLOSE = r"\s{0,3}[(\[{<]\s{0,3}", r"\s{0,3}[)\]}>]\s{0,3}"


_AT = (
    rf"(?:\s{{0,3}}@\s{{0,3}}|{_OPEN}(?:at|a|@|snabel-?a){_CLOSE}"
    r"|\s{1,3}(?:at|snabel-?a)\s{1,3})"
)


_DOT = rf"(?:\.|{_OPEN}(?:dot|punkt){_CLOSE}|\s{{1,3}}(?:dot|punkt)\s{{1,3}})"


_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w+-](?:[\w.+-]{{0,63}}[\w+-])?{_AT}"
    rf"[\w-]{{1,63}}(?:{_DOT}[\w-]{{1,63}}){{1,5}}(?![\w-])",
    re.IGNORECASE,
)


_STREET_SUFFIXES = (
    "vägen|väg|gatan|gata|gränd|gränden|stigen|stig|backen|backe|allén|allé|torget|torg|"
    "leden|led|plan|stranden|strand|slingan|liden|lid|parken|ringen"
)


_STREET_ENDINGS = tuple(_STREET_SUFFIXES.split("|"))


_ADDRESS = re.compile(
    rf"(?<!{_L})(?:{_L}{{1,40}}(?:{_STREET_SUFFIXES})|[Ss]kyddad adress)"
    r"\s{1,3}\d{1,4}(?:\s?[A-Za-z](?!\w))?(?!\d)",
    re.IGNORECASE,
)


_POSTAL_CODE = re.compile(rf"(?<!\d)\d{{3}}\s?\d{{2}}(?!\d)(?=\s{{1,3}}[A-ZÅÄÖ]{_L})")


# Dates: 2012-03-15, 2012/3/15, 20120315, 15/3 2012, 15.3.2012, 15 mars 2012, 15:e mars.
_ISO_DATE = re.compile(r"(?<![\d-])((?:19|20)\d{2})([-/.]?)(\d{1,2})\2(\d{1,2})(?![\d-])")


_DMY_DATE = re.compile(
    r"(?<![\d/.-])(\d{1,2})[/.](\d{1,2})(?:[-/.\s]|\s?-\s?)((?:19|20)\d{2})(?!\d)"
)


_TEXT_DATE = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?::e|:a)?\s{{1,3}}({_L}{{3,9}})(?:\.?\s{{1,3}}((?:19|20)\d{{2}}))?(?!\d)"
)


_SHORT_DATE = re.compile(r"(?<![\d-])(\d{2})(\d{2})(\d{2})(?![\d-])")


# A class: "7B", "klass 3a", "åk 9C".
_CLASS = re.compile(
    r"(?<![\w-])(?:(klass|klassen|åk|årskurs|grupp|gruppen)\s{1,3})?"
    r"(\d{1,2})([A-Za-zÅÄÖåäö])(?![\w-])",
    re.IGNORECASE,
)


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
    for match in _matches(_PERSONAL_NUMBER, text):
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
    for match in _matches(_PHONE, text):
        digits = sum(ch.isdigit() for ch in match.group(0))
        if 7 <= digits <= 13:
            found.append(Finding(match.start(), match.end(), match.group(0).strip(), PHONE))
    return found


def _emails(text: str) -> list[Finding]:
    found = []
    for match in _matches(_EMAIL, text):
        candidate = match.group(0)
        tld = re.split(r"[\s.)\]}>]+", candidate.rstrip())[-1]
        if tld.isalpha() and 2 <= len(tld) <= 24:
            found.append(Finding(match.start(), match.end(), candidate, EMAIL))
    return found


def _pattern(regex: re.Pattern, kind: str, text: str) -> list[Finding]:
    return [Finding(m.start(), m.end(), m.group(0), kind) for m in _matches(regex, text)]


def _cue_before(text: str, start: int, cues: set[str]) -> bool:
    """One of ``cues`` among the three words before ``start``."""
    before = _TOKEN.findall(text[max(0, start - 40) : start])[-3:]
    return any(w.casefold() in cues for w in before)


def _birth_window(day: datetime.date, today: datetime.date) -> bool:
    """A full date far enough back to be a child's or young person's birth date rather
    than a recent event: two to 25 years ago."""
    return today.year - 25 <= day.year <= today.year - 2


def _dates(text: str, today: datetime.date) -> list[Finding]:
    cues = set(words_sv()["birth_cues"])
    months = words_sv()["months"]
    found = []

    def add(match, year, month, day, *, needs_cue):
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            return
        if _cue_before(text, match.start(), cues) or (not needs_cue and _birth_window(date, today)):
            found.append(Finding(match.start(), match.end(), match.group(0), BIRTH_DATE))

    for m in _matches(_ISO_DATE, text):
        if m.group(2) == "" and (len(m.group(3)) != 2 or len(m.group(4)) != 2):
            continue  # 8 digits or nothing
        add(m, int(m.group(1)), int(m.group(3)), int(m.group(4)), needs_cue=False)
    for m in _matches(_DMY_DATE, text):
        add(m, int(m.group(3)), int(m.group(2)), int(m.group(1)), needs_cue=False)
    for m in _matches(_TEXT_DATE, text):
        month = months.get(m.group(2).casefold())
        if month is None:
            continue
        year = int(m.group(3)) if m.group(3) else 2000  # a leap year: 29 februari is a date
        add(m, year, month, int(m.group(1)), needs_cue=not m.group(3))
    for m in _matches(_SHORT_DATE, text):
        add(m, 2000 + int(m.group(1)), int(m.group(2)), int(m.group(3)), needs_cue=True)
    return found


def _classes(text: str) -> list[Finding]:
    found = []
    for m in _matches(_CLASS, text):
        cue, letter = m.group(1), m.group(3)
        if cue or letter.isupper():
            found.append(Finding(m.start(), m.end(), m.group(0), CLASS))
    return found
