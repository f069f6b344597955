"""Swedish text normalisation for the knowledge search (pure functions, no database).

Each word is reduced to a *root*: Unicode NFC, lower case, the Snowball Swedish stem,
then a few extra endings the Snowball stemmer leaves (definite "-an"/"-et", verbal
nouns in "-ning", a final consonant + "r" as in "föräldr"). The same function runs on
documents and queries, so what matters is that inflections of one word end up on one
root, not that the root is a real word. Matching is by prefix at a word boundary, so
"anmälan" also finds "anmälningsskyldighet". See docs/decisions/0010-*.md.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+", re.UNICODE)
_STEMMER = snowballstemmer.stemmer("swedish")
# Longest first. Stripped once (see ``root``), and only when at least MIN_ROOT letters remain.
_EXTRA_ENDINGS = (
    "ningarna",
    "ningars",
    "ningar",
    "ningen",
    "ningens",
    "ning",
    "andet",
    "ande",
    "heten",
    "het",
    "an",
    "et",
    "en",
    "er",
    "ar",
    "or",
    "a",
    "e",
    "s",
)
_VOWELS = set("aeiouyåäö")
_PAIRS = ("dd", "gd", "nn", "dt", "gt", "kt", "tt")
MIN_ROOT = 3
# Roots at least this long match as prefixes ("skol" finds "skolhälsovård"); shorter
# ones must match a whole root, so "tid" does not find "tidning".
PREFIX_MIN = 4
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def normalise(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").casefold()


def fold(value: str) -> str:
    """Without å, ä, ö: for queries typed on a keyboard without them."""
    return normalise(value).translate(_FOLD)


def words(value: str) -> list[str]:
    return _WORD.findall(normalise(value))


@lru_cache(maxsize=8192)
def root(word: str) -> str:
    word = normalise(word)
    if word.isdigit():
        return word
    parts = word.split("-")
    if len(parts) > 1:  # "BUP-mottagning": the last part carries the inflection
        return "".join(parts[:-1]) + root(parts[-1])
    stem = _STEMMER.stemWord(word)
    # Definite "-n" after a vowel, r or "el": "frånvaron", "kuratorn", "cirkeln".
    if (
        len(stem) > MIN_ROOT + 1
        and stem.endswith("n")
        and (stem[-2] in _VOWELS or stem[-2] == "r" or stem.endswith("eln"))
    ):
        stem = stem[:-1]
    # A second pass strips one more letter: "elevhälsan" -> "elevhälsa" -> "elevhäl".
    for endings in (_EXTRA_ENDINGS, ("a", "e", "s")):
        for ending in endings:
            if stem.endswith(ending) and len(stem) - len(ending) >= MIN_ROOT:
                stem = stem[: -len(ending)]
                break
    # Snowball's own consonant-pair rule, once more after the extra endings.
    if stem.endswith(_PAIRS) and len(stem) > MIN_ROOT + 1:
        stem = stem[:-1]
    # "föräldr" (föräldrar) and "föräld" (förälder) are one word.
    if (
        len(stem) > MIN_ROOT + 1
        and stem.endswith("r")
        and stem[-2] not in _VOWELS
        and stem[-2] != "r"
    ):
        stem = stem[:-1]
    return stem


def roots(value: str) -> list[str]:
    """Distinct roots of a text, in order of first appearance."""
    seen: dict[str, None] = {}
    for word in words(value):
        seen.setdefault(root(word), None)
    return list(seen)


def index_text(value: str) -> str:
    """The stored form: roots separated by single spaces with a space at each end, so
    that `" " + root` matches at a word boundary with a plain LIKE on any database."""
    found = roots(value)
    return f" {' '.join(found)} " if found else ""


def index_text_folded(value: str) -> str:
    found = roots(fold(value))
    return f" {' '.join(found)} " if found else ""


def query_terms(query: str) -> list[str]:
    """The roots of a query, at most eight, shortest words dropped when only stop-like
    one- or two-letter words would be left."""
    found = [r for r in roots(query) if len(r) >= 2 or r.isdigit()]
    return found[:8]


def needs_fold(query: str) -> bool:
    """True when the query has no å, ä or ö and so should also match folded text."""
    return normalise(query) == fold(query)


def root_matches(stored: str, term: str) -> bool:
    """The same test the database makes, for ranking in Python."""
    if len(term) >= PREFIX_MIN:
        return f" {term}" in stored
    return f" {term} " in stored
