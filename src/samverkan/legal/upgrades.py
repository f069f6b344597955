"""A deployment upgrades and the repository's file holds a newer catalogue than the one
the municipality has edited in the product (decision 0300). The file never overwrites an
approved local edit silently: ``history.record`` keeps the new file as an upgrade waiting
for the reviewer, who sees per ground what the file changes and where it conflicts with
the municipality's own edits, and approves it (a new version from a day they choose,
today or later) or refuses it, like any change.

The merge is per ground, three ways: the last file version taken into the history (the
base), the newest version (ours), the new file (theirs). A ground only the file changed
takes the file's text; a ground only the municipality changed keeps its own; a ground
both changed differently is a conflict and keeps the municipality's text, listed for the
reviewer (who can then propose the file's text for it as an ordinary change). The
catalogue's name, review note and named-only types come from the file.
"""

from __future__ import annotations

import copy

from django.utils import timezone

from . import catalogue, history
from .models import CatalogueChange, CatalogueVersion, ChangeKind, ChangeStatus

SOURCE = "Samverkans källkod (filen grounds.yaml)"


def waiting(data: dict, using: str = "default") -> CatalogueChange:
    parsed = catalogue.parse(data)
    latest = history.latest(using)
    return CatalogueChange.objects.using(using).create(
        kind=ChangeKind.UPGRADE,
        base_version=latest.version,
        data=data,
        reason=(
            f"Uppgraderingen av Samverkan har med version {parsed.version} av katalogen. "
            "Kommunen har egna fastställda ändringar, så versionen tas inte i bruk förrän "
            "den har granskats."
        ),
        proposed_at=timezone.now(),
        proposed_by_name=SOURCE,
    )


def _by_code(data: dict | None) -> dict[str, dict]:
    return {g["code"]: g for g in (data or {}).get("grounds", [])}


def merge(base: dict | None, ours: dict, theirs: dict) -> tuple[dict, list[str]]:
    """The merged catalogue and the codes of the grounds in conflict."""
    old, mine, new = _by_code(base), _by_code(ours), _by_code(theirs)
    grounds, conflicts = [], []
    for code in [*new, *(c for c in mine if c not in new)]:
        b, o, t = old.get(code), mine.get(code), new.get(code)
        if o == b:
            chosen = t  # only the file changed it (or nobody did)
        elif t in (b, o):
            chosen = o  # only the municipality changed it
        else:
            chosen = o
            conflicts.append(code)
        if chosen is not None:
            grounds.append(copy.deepcopy(chosen))
    merged = {**copy.deepcopy(theirs), "grounds": grounds}
    return merged, conflicts


def last_file_data() -> dict | None:
    """The newest file the history holds: a file version, or a file taken in by an
    approved upgrade (its merged version is not the file's text)."""
    row = history.last_from_file()
    upgrade = (
        CatalogueChange.objects.filter(kind=ChangeKind.UPGRADE, status=ChangeStatus.APPROVED)
        .order_by("-reviewed_at")
        .first()
    )
    if upgrade is not None and (row is None or upgrade.reviewed_at > row.recorded_at):
        return upgrade.data
    return row.data if row else None


def merge_for(change: CatalogueChange, latest: CatalogueVersion) -> tuple[dict, list[str]]:
    return merge(last_file_data(), latest.data, change.data)
