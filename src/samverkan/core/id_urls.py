"""Paths of routes whose arguments are public ids, reversed once per process and route
(decision 0372): ``reverse_ids('people:form_guardian', child.public_id, guardian.public_id)``
gives what ``reverse`` gives. Used by ``{% id_url %}`` (``core/templatetags/fixed.py``)
and the child overview's panels, a dozen paths a page."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# Stand-ins for the ids: no path has these hex runs of its own (checked: a stand-in that
# does not appear exactly once in the reversed path sends that route to ``reverse``).
STAND_IN_MARK = "fd0f1ced"
STAND_INS = tuple(uuid.UUID(f"{STAND_IN_MARK}-0000-4000-8000-{i:012x}") for i in range(8))
_id_urls: dict[tuple, tuple[str, ...] | None] = {}
ID_URLS_LIMIT = 4096
_ID = object()  # an id's place in the key (None could be an argument of its own)


def reverse_ids(name: str, *args, current_app: str | None = None) -> str:
    """``reverse(name, args=args, current_app=current_app)`` where the ``UUID`` arguments
    are put in the path reversed once (per route, other arguments, URL configuration,
    script prefix and current application) with stand-ins in their places. The same
    string as ``reverse`` gives: a UUID's path converter writes it as ``str(uuid)``, and
    a route's match of a stand-in is the match of any UUID (hex digits and dashes);
    other arguments are passed to ``reverse`` as they are and are part of the key."""
    ids = [a for a in args if isinstance(a, uuid.UUID)]
    if not ids or len(ids) > len(STAND_INS):
        return reverse(name, args=args, current_app=current_app)
    shape = tuple(_ID if isinstance(a, uuid.UUID) else a for a in args)
    key = (name, shape, current_app, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    try:
        pieces = _id_urls[key]
    except KeyError:
        pieces = _pieces(name, args, current_app)
        if len(_id_urls) >= ID_URLS_LIMIT:
            _id_urls.clear()
        _id_urls[key] = pieces
    except TypeError:  # an argument that cannot be a key
        pieces = None
    if pieces is None:
        return reverse(name, args=args, current_app=current_app)
    parts = [pieces[0]]
    for value, piece in zip(ids, pieces[1:], strict=True):
        parts += (str(value), piece)
    return "".join(parts)


def _pieces(name: str, args, current_app) -> tuple[str, ...] | None:
    """The path reversed with stand-ins, split at them (in the arguments' order); None
    when a stand-in is not found exactly once in its place."""
    stand_ins = iter(STAND_INS)
    given = [next(stand_ins) if isinstance(a, uuid.UUID) else a for a in args]
    rest = reverse(name, args=given, current_app=current_app)
    pieces = []
    for stand_in in (a for a in given if isinstance(a, uuid.UUID)):
        text = str(stand_in)
        if rest.count(text) != 1 or any(text in piece for piece in pieces):
            return None
        before, rest = rest.split(text)
        pieces.append(before)
    return (*pieces, rest)
