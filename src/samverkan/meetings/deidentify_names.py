"""The de-identification check's names: first names, surnames and whole names (the
lexicon's lists, surname patterns, the names the author may see), the names of units
and departments, and the small-group warning (a class or year, an age and a rare event
together)."""

from __future__ import annotations

import re
from functools import cached_property

from .deidentify_findings import (
    _L,
    _TOKEN,
    ERROR,
    FULL_NAME,
    LIMIT,
    PATTERN,
    SMALL_GROUP,
    SURNAME,
    UNIT,
    WARNING,
    Finding,
    Lexicon,
    words_sv,
)

_AGE = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:\s?-\s?åring|\s?-?årig|\s{{1,3}}år\s{{1,3}}gammal|\s{{1,3}}år(?!{_L}))",
    re.IGNORECASE,
)


_GRADE = re.compile(r"(?<![\w-])(?:årskurs|åk|klass)\s{0,3}\d{1,2}(?!\d)", re.IGNORECASE)


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
