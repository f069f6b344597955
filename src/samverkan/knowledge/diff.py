"""Word-level differences between two versions of a text, for the history page."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    op: str  # "same", "removed" or "added"
    text: str


def words_diff(before: str, after: str) -> list[Segment]:
    a = _TOKENS.findall(str(before or ""))
    b = _TOKENS.findall(str(after or ""))
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(a[i1:i2])))
            continue
        if tag in ("replace", "delete"):
            segments.append(Segment("removed", "".join(a[i1:i2])))
        if tag in ("replace", "insert"):
            segments.append(Segment("added", "".join(b[j1:j2])))
    return segments
