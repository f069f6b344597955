"""The shared knowledge every installation starts with, read from ``data/catalogue.yaml``
(loaded by migration 0002 and by ``samverkan knowledge_sync``). Administrators edit it
in the product afterwards; the loader never overwrites an entry that exists, it only
adds missing codes.

The texts are written in the project's own words from the sources named on each entry;
a municipality should have its lawyer confirm the paragraph numbers when adopting them.
"""

from __future__ import annotations

from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "catalogue.yaml"
# Fields written in the file as a list of lines, where a line may name a source.
LINE_FIELDS = ("sources", "laws")


def _read() -> dict[str, list[dict]]:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    named: dict[str, str] = raw["named"]
    entries: dict[str, list[dict]] = raw["entries"]
    for rows in entries.values():
        for row in rows:
            for field in LINE_FIELDS:
                if isinstance(row.get(field), list):
                    row[field] = "\n".join(named.get(line, line) for line in row[field])
    return entries


# Entries per kind ("actor", "concept", "factor", "method", "suggestion"), in order.
ENTRIES: dict[str, list[dict]] = _read()
CONCEPTS: list[dict] = ENTRIES["concept"]
