"""Short forms of long texts that never cut a word or a sentence in the middle.

A summary (on the start page for newcomers, in search hits, in lists) is the text's
first whole sentences that fit; when even the first sentence does not fit, it ends at a
whole word with "…". What was left out is never lost: ``{% summary %}``
(core/templatetags/summaries.py) shows the rest in a ``<details>`` that a keyboard and a
screen reader open like any other."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? (or … ) followed by white space; "t.ex. " and "bl.a. " are
# abbreviations, not ends (a lower-case letter follows them).
_SENTENCE_END = re.compile(r"[.!?…](?=\s+[^\sa-zåäö])")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Summary:
    short: str
    full: str

    @property
    def cut(self) -> bool:
        return self.short != self.full


def summarise(text: str | None, limit: int) -> Summary:
    """The first whole sentences of ``text`` within ``limit`` characters; else the first
    whole words with "…"; the whole text when it fits."""
    full = _SPACE.sub(" ", (text or "").strip())
    if len(full) <= limit:
        return Summary(full, full)
    end = 0
    for match in _SENTENCE_END.finditer(full, 0, limit + 1):
        end = match.end()
    if end:
        return Summary(full[:end], full)
    words = full[: limit + 1].rsplit(" ", 1)[0] if " " in full[:limit] else full[:limit]
    return Summary(words.rstrip(" ,;:–-") + "…", full)
