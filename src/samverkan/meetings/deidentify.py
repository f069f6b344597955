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

Pure functions: the caller passes the author's names and the unit names (see
``services.check_anonymised``), so the check is the same in the browser, the API and
the tests.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from itertools import islice
from pathlib import Path

from django.utils import timezone

from samverkan.core.errors import ValidationFailed
from samverkan.people import identity

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
_AGE = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:\s?-\s?åring|\s?-?årig|\s{{1,3}}år\s{{1,3}}gammal|\s{{1,3}}år(?!{_L}))",
    re.IGNORECASE,
)
_GRADE = re.compile(r"(?<![\w-])(?:årskurs|åk|klass)\s{0,3}\d{1,2}(?!\d)", re.IGNORECASE)


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


# --- numbers, dates, addresses ---------------------------------------------------------


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


# --- names -------------------------------------------------------------------------------


class _Words:
    """The words of a text, found once; the context a name check needs (start of a
    sentence, joined to the previous word) is computed only for the words asked about,
    so a megabyte of words costs one pass of the tokenizer."""

    _SENTENCE_END = frozenset(".!?:;")
    _OPENERS = " \t\"'”“«»()[]–—-•*"

    def __init__(self, text: str):
        self.text = text
        self.words: list[str] = _TOKEN.findall(text)
        self.unique = set(self.words)

    @cached_property
    def spans(self) -> list[tuple[int, int]]:
        return [m.span() for m in _TOKEN.finditer(self.text)]

    def __len__(self) -> int:
        return len(self.words)

    def folded(self, i: int) -> str:
        return self.words[i].casefold()

    def _gap(self, i: int) -> str:
        start = self.spans[i][0]
        return self.text[self.spans[i - 1][1] : start] if i else self.text[:start]

    def initial(self, i: int) -> bool:
        """The first word of the text, a line or a sentence."""
        if i == 0:
            return True
        gap = self._gap(i)
        return "\n" in gap or gap.strip(self._OPENERS)[-1:] in self._SENTENCE_END

    def joined(self, i: int) -> bool:
        """Separated from the previous word by nothing but spaces or a hyphen."""
        return i > 0 and self._gap(i).strip(" \t-") == ""

    def finding(self, i: int, j: int, kind: str, severity: str = ERROR, **kw) -> Finding:
        start, end = self.spans[i][0], self.spans[j][1]
        return Finding(start, end, self.text[start:end], kind, severity, **kw)


def _capitalised(word: str) -> bool:
    return word[0].isupper() and not (len(word) > 1 and word.isupper())


def _name_kind(lex: Lexicon, folded: str) -> tuple[str | None, str]:
    """The kind of name a word is, and the word without a genitive "s" if that is
    what made it a name ("Annas")."""
    kind = lex.kind(folded)
    if kind is None and len(folded) > 3 and folded.endswith("s"):
        base = folded[:-1]
        kind = lex.kind(base)
        if kind is not None:
            return kind, base
    return kind, folded


def _word_kinds(lex: Lexicon, unique: set[str]) -> dict[str, tuple[str, bool]]:
    """For each distinct word that may be a name: (FIRST_NAME, SURNAME or PATTERN,
    whether it is also an ordinary word). PATTERN is a capitalised word shaped like a
    surname ("Lindqvist", "Grönberg")."""
    kinds = {}
    for word in unique:
        folded = word.casefold()
        kind, base = _name_kind(lex, folded)
        if (
            kind is None
            and len(folded) > 5
            and _capitalised(word)
            and folded.endswith(lex.suffixes)
            and folded not in lex.ordinary
        ):
            kind = PATTERN
        if kind is not None:
            kinds[word] = (kind, folded in lex.ordinary or base in lex.ordinary)
    return kinds


def _is_name(lex: Lexicon, words: _Words, kinds: dict, i: int) -> bool:
    """Whether word ``i`` is used as a name here. A capitalised name inside a sentence
    is; at the start of a sentence only if it is not also an ordinary word ("Per
    vecka", "Dag för dag"), unless a name or a verb follows ("Per har", "Per Ek"). In
    lower case: a name the author knows, or one of two names in a row."""
    grammar = words_sv()
    word = words.words[i]
    kind, ordinary = kinds[word]
    has_next = i + 1 < len(words) and words.joined(i + 1)
    next_name = has_next and words.words[i + 1] in kinds
    prev_name = words.joined(i) and words.words[i - 1] in kinds
    if kind == PATTERN:
        in_place = i > 0 and words.folded(i - 1) in grammar["place_prepositions"]
        return not words.initial(i) and (prev_name or not in_place)
    if _capitalised(word):
        if not ordinary or next_name or not words.initial(i):
            return True
        return has_next and words.folded(i + 1) in grammar["verbs_after_name"]
    known = word.casefold() in lex.known
    return not word.isupper() and not ordinary and (known or next_name or prev_name)


def _names(lex: Lexicon, words: _Words) -> list[Finding]:
    kinds = _word_kinds(lex, words.unique)
    if not kinds:
        return []
    found: list[Finding] = []
    run: list[tuple[int, str]] = []  # adjacent names are one finding: "Anna Lindqvist"

    def close():
        if run:
            (first, kind), last = run[0], run[-1][0]
            kind = FULL_NAME if len(run) > 1 else (SURNAME if kind == PATTERN else kind)
            found.append(words.finding(first, last, kind))
            run.clear()

    for i, word in enumerate(words.words):
        if len(found) >= LIMIT:
            break
        if word not in kinds or not _is_name(lex, words, kinds, i):
            continue
        if not (run and run[-1][0] == i - 1 and words.joined(i)):
            close()
        run.append((i, kinds[word][0]))
    close()
    return found


def _units(lex: Lexicon, words: _Words) -> list[Finding]:
    """Unit names as written in the directory (whole name, digits included, starting
    with a capital), and "avdelning Solrosen"-style department names."""
    text = words.text
    cues = set(words_sv()["unit_cues"])
    heads = {w for w in words.unique if w.casefold() in cues or w.casefold() in lex.units}
    found = []
    if not heads:
        return found
    for i, word in enumerate(words.words):
        if len(found) >= LIMIT:
            break
        if word not in heads:
            continue
        folded = word.casefold()
        department = folded in cues and i + 1 < len(words) and words.joined(i + 1)
        if department and _capitalised(words.words[i + 1]):
            found.append(words.finding(i, i + 1, UNIT))
            continue
        if not _capitalised(word):
            continue
        start = words.spans[i][0]
        for name in lex.units.get(folded, ()):
            end = start + len(name)
            if text[start:end].casefold() == name and not text[end : end + 1].isalnum():
                found.append(Finding(start, end, text[start:end], UNIT))
                break
    return found


def _first(words: _Words, matching) -> int | None:
    wanted = {w for w in words.unique if matching(w.casefold())}
    if not wanted:
        return None
    return next(i for i, w in enumerate(words.words) if w in wanted)


def _grade(words: _Words, classes: list[Finding], grade_words: set[str]) -> str | None:
    """A class ("7B"), a year ("årskurs 8") or a school stage ("sjuan", "högstadiet")."""
    if classes:
        return classes[0].text
    if match := _GRADE.search(words.text):
        return match.group(0)
    index = _first(words, lambda w: w in grade_words)
    return None if index is None else words.words[index]


def _small_group(parts: list[tuple[str, _Words, list[Finding]]]) -> list[Finding]:
    """A class or year + an age + a rare event, in any of the fields together: a
    warning (CVE's guidance: in a small group, leaving out the name does not
    anonymise). ``parts`` is (field, words, classes) per field."""
    grammar = words_sv()
    events, grade_words = tuple(grammar["rare_events"]), set(grammar["grade_words"])
    event = grade = age = None
    for name, words, classes in parts:
        if event is None and (index := _first(words, lambda w: w.startswith(events))) is not None:
            event = (name, words, index)
        grade = grade or _grade(words, classes, grade_words)
        if age is None and (match := _AGE.search(words.text)):
            age = match.group(0)
    if event is None or grade is None or age is None:
        return []
    name, words, index = event
    detail = (
        f"klass eller årskurs (”{grade}”), ålder (”{age}”) "
        f"och en ovanlig händelse (”{words.words[index]}”)"
    )
    return [words.finding(index, index, SMALL_GROUP, WARNING, field=name, detail=detail)]


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
