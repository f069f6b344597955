"""Tell higher apps that facts about a child changed: custody, a matter (started,
ended, changed character), the date of birth. The consent app keeps its sharing grants
in step this way (decision 0090) without the people app importing it: it registers a
listener from its ``AppConfig.ready()``.

Listeners run inside the service's transaction, so the change and everything derived
from it commit or roll back together. A listener must not swallow errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Listener = Callable[[Iterable[int]], None]
_listeners: list[Listener] = []


def register(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def children_changed(child_ids: Iterable[int]) -> None:
    """Called by every people service that changes an input of another app's rules."""
    ids = sorted(set(child_ids))
    if not ids:
        return
    for listener in _listeners:
        listener(ids)
