"""Names as the search sees them (decision 0091).

- ``search_key``: a forgiving spelling of a name for matching. Lower case, accents
  removed except on å, ä and ö (separate letters in Swedish), and the spellings that
  sound alike folded together (Sophia/Sofia, Carl/Karl, Nillson/Nilsson, Wilhelm/Vilhelm,
  Zandra/Sandra). A prefix of a key matches with a plain B-tree index on SQLite and
  PostgreSQL; PostgreSQL adds trigram similarity for typos.
- ``sort_key``: last name, first name in Swedish alphabetical order (… x y z å ä ö) as
  plain bytes, so that both databases sort and page in that order with an ordinary
  index and no locale installed.
"""

from __future__ import annotations

import re
import unicodedata

_KEEP = {"å", "ä", "ö"}
# Letters of other languages that Swedish writes as its own (æ → ä, ø → ö, ü → y).
_LETTERS = str.maketrans({"æ": "ä", "ø": "ö", "ü": "y", "ß": "ss"})
# Spellings that sound alike, in order (longest first where they overlap).
_SOUNDS = [
    (re.compile(r"ph"), "f"),
    (re.compile(r"th"), "t"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"ch"), "k"),
    (re.compile(r"c(?=[eiyäö])"), "s"),
    (re.compile(r"c"), "k"),
    (re.compile(r"q"), "k"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"z"), "s"),
    (re.compile(r"w"), "v"),
    (re.compile(r"\b(dj|gj|hj|lj)"), "j"),
    (re.compile(r"(.)\1+"), r"\1"),  # double letters
]
# Bytes after "z" for å, ä, ö, in Swedish order.
_SORT = str.maketrans({"å": "{", "ä": "|", "ö": "}"})
_SPACES = re.compile(r"[\s\-]+")


def _plain(text: str) -> str:
    """Lower case, accents removed except on å, ä, ö; only letters and single spaces."""
    text = (text or "").casefold().translate(_LETTERS)
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _KEEP:
            out.append(ch)
            continue
        base = unicodedata.normalize("NFKD", ch)[0]
        out.append(base if base.isalnum() else " ")
    return _SPACES.sub(" ", "".join(out)).strip()


def search_key(text: str) -> str:
    key = _plain(text)
    for pattern, replacement in _SOUNDS:
        key = pattern.sub(replacement, key)
    return key


def sort_key(first_name: str, last_name: str) -> str:
    return f"{_plain(last_name)} {_plain(first_name)}".translate(_SORT)


def keys(first_name: str, last_name: str) -> dict[str, str]:
    """The stored search and sort columns of a child (people.Child)."""
    return {
        "name_key": search_key(f"{first_name} {last_name}"),
        "name_key_last": search_key(f"{last_name} {first_name}"),
        "sort_key": sort_key(first_name, last_name),
    }
