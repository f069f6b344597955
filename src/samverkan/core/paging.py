"""Pages of a list (decision 0092): every list is read one page at a time, in a fixed
order, so that a page costs the same whatever the size of the municipality.

``page_of`` takes the page's rows plus one (to know whether there is a next page) and
never counts the whole list: a total would cost a scan of everything the actor may see.
Templates show the pager with ``{% include "web/_pager.html" %}`` (links for GET lists,
buttons in a form for POST searches, so that what was searched for stays out of URLs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

PAGE_SIZE = 25
MAX_PAGE = 2_000  # far beyond any list read page by page; keeps OFFSET bounded


@dataclass
class Page:
    items: list[Any]
    number: int
    size: int
    has_next: bool
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.size + len(self.items)

    @property
    def is_paged(self) -> bool:
        return self.has_next or self.has_previous

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index):
        return self.items[index]

    def __bool__(self) -> bool:
        return bool(self.items)


def page_number(value: Any) -> int:
    """A page number from user input: 1 for anything that is not a plain number, and
    never more than ``MAX_PAGE``."""
    try:
        number = int(str(value or "1").strip())
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def page_of(rows: Sequence | Any, number: int = 1, size: int = PAGE_SIZE) -> Page:
    """Page ``number`` of ``rows`` (an ordered queryset or a list)."""
    number = page_number(number)
    start = (number - 1) * size
    items = list(rows[start : start + size + 1])
    return Page(items=items[:size], number=number, size=size, has_next=len(items) > size)
