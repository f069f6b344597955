"""Canonical hashing of audit rows. Any change to a hashed field changes the hash."""

import hashlib
import json
from datetime import UTC as _UTC

GENESIS_HASH = "0" * 64

HASHED_FIELDS = (
    "occurred_at",
    "request_id",
    "ip_address",
    "actor_user_id",
    "actor_username",
    "actor_name",
    "actor_organisation_id",
    "actor_organisation_name",
    "actor_unit_name",
    "actor_function",
    "action",
    "outcome",
    "resource_type",
    "resource_id",
    "subject_id",
    "ground_code",
    "ground_label",
    "ground_reference",
    "reason",
    "details",
)


def _normalise(value):
    if hasattr(value, "isoformat"):
        # Stored with microsecond precision on both databases; compare in UTC.
        return value.astimezone(_UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


# Hashed only when set, so that rows written before the column existed keep their hash.
OPTIONAL_HASHED_FIELDS = ("assurance_level",)


def content_hash(values: dict) -> str:
    payload = {name: _normalise(values.get(name)) for name in HASHED_FIELDS}
    for name in OPTIONAL_HASHED_FIELDS:
        if values.get(name):
            payload[name] = values[name]
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def event_hash(event) -> str:
    names = HASHED_FIELDS + OPTIONAL_HASHED_FIELDS
    return content_hash({name: getattr(event, name, None) for name in names})


def chain_hash(prev_hash: str, seq: int, event_id: int, event_content_hash: str) -> str:
    """A link binds its position, the row's key and the row's content to the previous
    link, so moving, altering or removing a row breaks every later link."""
    text = f"{prev_hash}|{seq}|{event_id}|{event_content_hash}"
    return hashlib.sha256(text.encode("ascii")).hexdigest()
