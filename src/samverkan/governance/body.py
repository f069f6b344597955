"""The body text of an agreement: plain text with a few marks, turned into blocks the
templates render with Django's autoescaping (nothing a writer types ever becomes HTML).

    # Rubrik            a heading (level 2 on the page); ## and ### go one level down
    - punkt             a bulleted list item (also "* punkt")
    1. punkt            a numbered list item
    (blank line)        a new paragraph

The same blocks make the page, the PDF and the table of contents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.text import slugify

_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$")
_BULLET = re.compile(r"^[-*]\s+(.+)$")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+(.+)$")


@dataclass
class Block:
    kind: str  # "heading", "paragraph", "list", "numbered"
    text: str = ""
    level: int = 0  # headings: 2, 3 or 4
    anchor: str = ""
    items: list[str] = field(default_factory=list)


def parse(text: str) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[str] = []
    anchors: dict[str, int] = {}

    def flush():
        if paragraph:
            blocks.append(Block("paragraph", text=" ".join(paragraph)))
            paragraph.clear()

    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        if m := _HEADING.match(line):
            flush()
            base = slugify(m.group(2))[:60] or "avsnitt"
            anchors[base] = anchors.get(base, 0) + 1
            anchor = base if anchors[base] == 1 else f"{base}-{anchors[base]}"
            blocks.append(
                Block("heading", text=m.group(2), level=len(m.group(1)) + 1, anchor=anchor)
            )
            continue
        for kind, pattern in (("list", _BULLET), ("numbered", _NUMBERED)):
            if m := pattern.match(line):
                flush()
                if blocks and blocks[-1].kind == kind:
                    blocks[-1].items.append(m.group(1))
                else:
                    blocks.append(Block(kind, items=[m.group(1)]))
                break
        else:
            paragraph.append(line)
    flush()
    return blocks


def headings(blocks: list[Block]) -> list[Block]:
    return [b for b in blocks if b.kind == "heading"]
