"""Sections of the product's Markdown docs that are generated from data (the retention
schedule, the catalogue of legal grounds): a section lies between a start and an end
marker, is found and replaced in place, and is appended when a doc has none yet."""

from __future__ import annotations


def cell(text) -> str:
    """``text`` on one line, safe inside a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def current(text: str, start: str, end: str) -> str | None:
    """The section between ``start`` and ``end`` (markers included), or None."""
    if start not in text or end not in text:
        return None
    return text[text.index(start) : text.index(end) + len(end)]


def replaced(text: str, start: str, end: str, new: str) -> str:
    """``text`` with its section replaced by ``new`` (appended when it has none)."""
    old = current(text, start, end)
    if old is None:
        return text.rstrip("\n") + "\n\n" + new + "\n"
    return text.replace(old, new)
