"""Comparing the chain with its witnesses (``audit/witness.py``): a link the witness saw
must still carry the hash the witness wrote down, and the chain must not end before the
last link the witness saw. The links a witness names are looked up by number, a batch
at a time, so memory stays flat in the size of the log and of the witness."""

from __future__ import annotations

import heapq
from collections.abc import Callable

from .result import Problem, VerifyResult

_BATCH = 1000  # witness entries compared per lookup


class WitnessCheck:
    """Compares one witness's entries, in order of number, with the links they name.

    A witness is a sequence of epochs: the sealer's heads, then after a restore the
    restore's marker and the heads after it. Each epoch's heads only go up, so the
    epochs are merged by ``seq`` and compared in one pass. Heads after the
    point a later restore went back to describe links lost with that restore: they
    are reported as notes, not compared."""

    def __init__(self, source, result: VerifyResult, restoring: bool = False):
        self.restoring = restoring
        self.source = source
        self.name = source.name
        self.result = result
        self.entries = 0
        self.mismatches = 0
        self.first_mismatch = None
        self.missing = None  # (entry) a witnessed link the chain does not have
        self.max_entry = None
        self.lost: list[tuple[int, int]] = []  # (restored to seq, last seq lost)
        self._restores: list = []
        self._iter = self._merged()

    def _epochs(self) -> list[tuple[int, int, int]]:
        """(first line, last line, limit) per epoch; limit = the lowest seq a later
        restore went back to."""
        starts = [0]
        restores = []
        last = 0
        for item in self.source.entries():
            if isinstance(item, str):
                self.result.add(Problem(None, None, f"Vittnet ({self.name}): {item}."))
                continue
            last = item.line
            self.entries += 1
            if item.kind == "restore":
                starts.append(item.line)
                restores.append(item)
        epochs = []
        limit = None
        bounds = [*starts, last + 1]
        for index in range(len(starts) - 1, -1, -1):
            epochs.append((bounds[index], bounds[index + 1] - 1, limit))
            if index > 0:
                marker = restores[index - 1]
                limit = marker.seq if limit is None else min(limit, marker.seq)
                self._restores.append(marker)
        return list(reversed(epochs))

    def _epoch(self, first: int, last: int, limit: int | None):
        top = None
        lost_max = None
        for item in self.source.entries():
            if isinstance(item, str) or item.line < first or item.line > last:
                continue
            if limit is not None and item.seq > limit:
                lost_max = max(lost_max or 0, item.seq)
                continue
            if top is not None and item.seq < top.seq:
                self.result.add(
                    Problem(
                        item.seq,
                        None,
                        f"Vittnet ({self.name}) rad {item.line}: nr {item.seq} skrevs efter "
                        f"nr {top.seq}. Ett vittne går aldrig bakåt: posten är förfalskad "
                        "eller vittnet har blandats med ett annat.",
                    )
                )
                continue
            top = item
            yield item.seq, item.line, item
        if lost_max is not None:
            self.lost.append((limit, lost_max))

    def _merged(self):
        self._restores = []
        epochs = self._epochs()
        return heapq.merge(*(self._epoch(*epoch) for epoch in epochs))

    def compare(self, lookup: Callable[[list[int]], dict[int, str]], head_seq: int) -> None:
        """Compare every entry, in order, with the link it names (``lookup``: numbers ->
        hashes of the links that exist), then report."""
        batch = []
        for _seq, _line, entry in self._iter:
            batch.append(entry)
            if len(batch) >= _BATCH:
                self._compare(batch, lookup, head_seq)
        self._compare(batch, lookup, head_seq)
        self._report(head_seq)

    def _compare(self, batch: list, lookup, head_seq: int) -> None:
        found = lookup(sorted({e.seq for e in batch if 0 < e.seq <= head_seq})) if batch else {}
        for entry in batch:
            if entry.seq > head_seq:
                if self.missing is None or entry.seq > self.missing.seq:
                    self.missing = entry
            else:
                chain = found.get(entry.seq)
                if chain is None:  # no link with this number (a gap, reported as such)
                    self._mismatch(entry, None)
                elif entry.hash != chain:
                    self._mismatch(entry, chain)
            self._seen(entry)
        batch.clear()

    def _seen(self, entry) -> None:
        if self.max_entry is None or entry.seq > self.max_entry.seq:
            self.max_entry = entry

    def _mismatch(self, entry, chain) -> None:
        self.mismatches += 1
        if self.first_mismatch is None:
            self.first_mismatch = (entry, chain)

    def _report(self, head_seq: int) -> None:
        result = self.result
        if self.max_entry is not None:
            result.witnessed_seq = max(result.witnessed_seq, self.max_entry.seq)
        if self.missing is not None and self.restoring:
            entry = self.missing
            result.notes.append(
                f"Säkerhetskopian slutar vid nr {head_seq}; vittnet ({self.name}) såg kedjan "
                f"till nr {entry.seq} ({entry.at}). Länkarna efter kopian förloras med "
                "återställningen, och det skrivs till vittnet."
            )
        elif self.missing is not None:
            entry = self.missing
            result.add(
                Problem(
                    head_seq + 1,
                    None,
                    f"Loggen slutar vid nr {head_seq}, men vittnet ({self.name}) såg kedjan "
                    f"till nr {entry.seq} ({entry.at}): loggrader nr {head_seq + 1}–"
                    f"{entry.seq} har raderats i slutet av loggen.",
                )
            )
        if self.first_mismatch is not None:
            entry, chain = self.first_mismatch
            found = f"har hashen {chain}" if chain else "finns inte"
            result.add(
                Problem(
                    entry.seq,
                    None,
                    f"Länk {entry.seq} {found}, men vittnet ({self.name}) skrev {entry.hash} "
                    f"({entry.at}): loggen har skrivits om till och med nr {entry.seq} "
                    f"({self.mismatches} av vittnets {self.entries} poster stämmer inte).",
                )
            )
        for limit, lost_max in self.lost:
            result.notes.append(
                f"Vittnet ({self.name}) såg länkarna nr {limit + 1}–{lost_max} före en "
                "återställning från säkerhetskopia; de fanns inte i kopian och förlorades "
                "med återställningen."
            )
        if self.entries == 0 and head_seq > 0 and not self.restoring:
            result.add(
                Problem(
                    None,
                    None,
                    f"Vittnet ({self.name}) har inga poster, men loggen har {head_seq} länkar. "
                    "Är vittnet nytt: kör 'samverkan audit seal' en gång så skrivs kedjans "
                    "slut dit. Annars har vittnet tömts eller bytts ut.",
                )
            )
