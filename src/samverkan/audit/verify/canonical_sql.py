# ruff: noqa: S608 - SQL built from this module's own constants and the model's field names
"""The canonical JSON of an audit row (``hashing.content_hash``), built by PostgreSQL.

``row_hash_sql()`` is one SQL expression: the SHA-256 (hex) of the bytes that
``hashing.content_hash`` hashes, for a row of ``audit_auditevent`` aliased ``e``. It is
exact where it gives a value, and NULL where it cannot be sure:

- strings go through ``to_json(text)``, whose escaping is Python's ``json.dumps`` with
  ``ensure_ascii=False`` (``\\"``, ``\\\\``, ``\\b \\f \\n \\r \\t``, other control
  characters as lower-case ``\\u00xx``, everything else as UTF-8);
- numbers are PostgreSQL's text of a bigint, times ``to_char`` in the form of
  ``hashing._normalise``, addresses as ``inet`` prints them (what Django reads);
- ``details`` is rebuilt with its keys in code-point order (``COLLATE "C"`` on UTF-8)
  when it is an object whose values are strings, booleans, nulls, integers or lists of
  those; anything else (a float, a nested object) gives NULL;
- an optional field is in the object only when it is set, as in ``content_hash``.

A NULL, or a hash that differs from the stored one, is not a verdict: the row goes to
the reference check in Python (``reference.py``), which decides. A hash that matches
is one: the bytes hashed were then the canonical JSON of the row's stored values
(decision 0235).

``row_hash_sql(fast=True)`` is the form ``rows_sql`` tries first (decision 0360): sound
(a match is as exact) but not complete. ``details`` is jsonb's own text made compact,
trusted only when it parses back to the stored value, and the escaping test looks for
quotes and backslashes only (a raw control character makes a text ``json.dumps`` never
writes, so it cannot match). A row it does not match is built again by the form above.
"""

from __future__ import annotations

from collections.abc import Callable

from samverkan.audit import hashing
from samverkan.audit.models import AuditEvent

_OPTIONAL = frozenset(hashing.OPTIONAL_HASHED_FIELDS)
SORTED_FIELDS = sorted(hashing.HASHED_FIELDS + hashing.OPTIONAL_HASHED_FIELDS)

_KINDS_BY_TYPE = {
    "DateTimeField": "time",
    "BigIntegerField": "int",
    "IntegerField": "int",
    "GenericIPAddressField": "ip",
    "JSONField": "json",
    "CharField": "text",
    "TextField": "text",
}


def _kind(name: str) -> str:
    internal = AuditEvent._meta.get_field(name).get_internal_type()
    if internal not in _KINDS_BY_TYPE:  # a new hashed field: teach this module its shape
        raise NotImplementedError(f"audit verify: no canonical form for {name} ({internal})")
    return _KINDS_BY_TYPE[internal]


# A JSON scalar as Python writes it after reading it back: strings, booleans and null
# as PostgreSQL prints them; numbers only when they are integers (Python reads those
# as int and writes the same digits); NULL for anything else.
_INTEGER = "'^(0|-?[1-9][0-9]*)$'"


def _scalar(value: str) -> str:
    return (
        f"CASE jsonb_typeof({value}) WHEN 'string' THEN {value}::text "
        f"WHEN 'boolean' THEN {value}::text WHEN 'null' THEN 'null' "
        f"WHEN 'number' THEN CASE WHEN {value}::text ~ {_INTEGER} THEN {value}::text END END"
    )


def _value(value: str) -> str:
    """A scalar, or a list of scalars (in order); NULL when any element is not one."""
    elements = (
        "(SELECT CASE WHEN count(*) = count(c) THEN "  # nosec B608 - constants
        "'[' || COALESCE(string_agg(c, ',' ORDER BY o), '') || ']' END "
        f"FROM (SELECT {_scalar('a.x')} AS c, a.o "
        f"FROM jsonb_array_elements({value}) WITH ORDINALITY AS a(x, o)) AS l)"
    )
    return f"CASE WHEN jsonb_typeof({value}) = 'array' THEN {elements} ELSE {_scalar(value)} END"


def _details(col: str) -> str:
    members = (
        "(SELECT CASE WHEN count(*) = count(c) THEN "  # nosec B608 - constants
        "'{' || COALESCE(string_agg(to_json(k)::text || ':' || c, ',' "
        "ORDER BY k COLLATE \"C\"), '') || '}' END "
        f"FROM (SELECT d.key AS k, {_value('d.value')} AS c FROM jsonb_each({col}) AS d) AS m)"
    )
    return (
        f"CASE WHEN {col} = '{{}}'::jsonb THEN '{{}}' "
        f"WHEN jsonb_typeof({col}) = 'object' THEN {members} END"
    )


def _details_fast(col: str) -> str:
    """``details`` from jsonb's own text, without a sub-select (decision 0360): jsonb
    writes ``": "`` after a key and ``", "`` between members and elements; without those
    spaces the text is compact JSON. It is used only when it parses back to the very
    value stored (``::jsonb =``): a space taken out of a string changes the string, so
    the text is then not trusted (NULL). Faithful is not yet canonical: jsonb orders
    keys by length before code point, and its numbers need not be Python's; such a text
    hashes differently, and the row is then built again with ``_details`` (``rows_sql``)."""
    compact = f"replace(replace({col}::text, '\": ', '\":'), ', ', ',')"
    return (
        f"CASE WHEN {col} = '{{}}'::jsonb THEN '{{}}' "
        f"WHEN ({compact})::jsonb = {col} THEN {compact} END"
    )


def _join(pieces: list[str]) -> str:
    """``||`` of the pieces as a balanced tree: each ``||`` copies both sides, so a
    left-deep chain of n pieces copies the growing text n times (decision 0360)."""
    if len(pieces) == 1:
        return pieces[0]
    middle = len(pieces) // 2
    return f"({_join(pieces[:middle])} || {_join(pieces[middle:])})"


def _value_of(name: str, details: Callable[[str], str]) -> str:
    """The JSON value of a required field (never NULL unless unsure)."""
    col = f'e."{name}"'
    kind = _kind(name)
    if kind == "time":
        form = '\'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\''
        return f"('\"' || to_char({col} AT TIME ZONE 'UTC', {form}) || '\"')"
    if kind == "int":
        return f"COALESCE({col}::text, 'null')"
    if kind == "ip":
        # abbrev(): the address as PostgreSQL prints it (no /32 or /128), as Django reads it.
        return f"COALESCE(to_json(abbrev({col}))::text, 'null')"
    if kind == "json":
        return f"({details(col)})"
    return f"COALESCE(to_json({col})::text, 'null')"


def _escaped(details: Callable[[str], str]) -> str:
    """The canonical JSON with every string through ``to_json`` (any row)."""
    if SORTED_FIELDS[0] in _OPTIONAL:  # the join below puts a comma before each optional
        raise NotImplementedError("audit verify: an optional hashed field sorts first")
    pieces = []
    for name in SORTED_FIELDS:
        if name in _OPTIONAL:
            # Present only when set (non-empty), as in hashing.content_hash.
            col = f'e."{name}"'
            pieces.append(f"COALESCE(',\"{name}\":' || to_json(NULLIF({col}, ''))::text, '')")
        else:
            key = ("," if pieces else "{") + f'"{name}":'
            pieces += [f"'{key}'", _value_of(name, details)]
    return _join([*pieces, "'}'"])


def _plain(details: Callable[[str], str]) -> str:
    """The same for a row whose required strings are all set and need no escaping: the
    strings as they are, between constant pieces, joined with ``||`` (decision 0320:
    ``concat()`` looks up each argument's output function on every row, which made it
    most of verify's time). Only ``details`` can be NULL here (unsure), and a NULL piece
    makes the whole text NULL: never the canonical form, so the row is re-checked; an
    unset optional member is absent, as in ``content_hash``."""
    pieces = []
    literal = ""
    for index, name in enumerate(SORTED_FIELDS):
        col = f'e."{name}"'
        if name in _OPTIONAL:
            pieces.append(f"'{literal}'")
            pieces.append(
                f"CASE WHEN {col} <> '' THEN ',\"{name}\":\"' || {col} || '\"' ELSE '' END"
            )
            literal = ""
            continue
        literal += ("," if index else "{") + f'"{name}":'
        if _kind(name) == "text":
            pieces += [f"'{literal}\"'", col]
            literal = '"'
        else:  # times, numbers, addresses and details are written the same either way
            pieces += [f"'{literal}'", _value_of(name, details)]
            literal = ""
    pieces.append(f"'{literal}}}'")
    return _join([p for p in pieces if p != "''"])


# What sends a row to the escaped form: a quote, a backslash or a control character in
# any of its strings (a wider class than JSON escapes, which costs only speed).
_NEEDS_ESCAPING = "'[[:cntrl:]\"\\\\]'"


def canonical_sql(*, fast: bool = False) -> str:
    """The canonical JSON of row ``e`` as SQL text (NULL, or not JSON, when unsure).
    ``fast``: ``details`` from jsonb's text (``_details_fast``), which is faithful but
    not always canonical; otherwise rebuilt key by key (``_details``), which is."""
    details = _details_fast if fast else _details
    texts = [
        f"COALESCE(e.\"{n}\", '')" if n in _OPTIONAL else f'e."{n}"'
        for n in SORTED_FIELDS
        if _kind(n) == "text"
    ]
    required = [f'e."{n}"' for n in SORTED_FIELDS if _kind(n) == "text" and n not in _OPTIONAL]
    # ``||``, not concat(): see _plain(). A NULL required string takes the escaped form
    # (``unset`` is tested first), so the join is never NULL when it decides.
    joined = _join(texts)
    if fast:
        # Only a quote or a backslash can make the plain text the canonical JSON of other
        # values; a control character left raw makes it no JSON that json.dumps writes
        # (it escapes them all), so such a row cannot match and is built again exactly.
        # Backslashes made quotes (``replace`` returns its argument when there is none)
        # and one search for a byte (memchr) instead of a regular expression, which was
        # a fifth of the query's CPU time (decision 0360).
        needs = f"strpos(replace({joined}, '\\', '\"'), '\"') > 0"
    else:
        needs = f"{joined} ~ {_NEEDS_ESCAPING}"
    unset = f"num_nulls({', '.join(required)}) > 0"
    return f"CASE WHEN {unset} OR {needs} THEN {_escaped(details)} ELSE {_plain(details)} END"


def row_hash_sql(*, fast: bool = False) -> str:
    """The SHA-256 (hex) of ``canonical_sql``. With ``fast`` a match is as exact as
    without, but a row whose ``details`` jsonb writes in another order than Python (or
    with other numbers) does not match: ``rows_sql`` then asks the form without ``fast``."""
    return f"encode(sha256(convert_to({canonical_sql(fast=fast)}, 'UTF8')), 'hex')"


def link_hash_sql(seal: str = "s", content: str = "e.content_hash") -> str:
    """``hashing.chain_hash`` of link ``seal`` over the row's stored content hash."""
    text = f"{seal}.prev_hash || '|' || {seal}.seq || '|' || {seal}.event_id || '|' || {content}"
    return f"encode(sha256(convert_to({text}, 'UTF8')), 'hex')"
