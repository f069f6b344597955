"""The user and unit names an organisation's log contains, for loggkontroll's filters
(decision 0368). The sealer records the names of each batch it links into the chain;
the rows it has not linked yet are read directly (they are few, and found by their
ids), so a name is offered from the moment its first row is committed."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEvent, AuditName, NameKind

# The log's column for each kind of name.
COLUMNS = {NameKind.USER: "actor_username", NameKind.UNIT: "actor_unit_name"}


def record(events) -> None:
    """Remember the names in these log rows (the sealer's batch). Names already known
    are skipped by the unique constraint."""
    found = {
        (event.actor_organisation_id, kind, value)
        for event in events
        if event.actor_organisation_id is not None
        for kind, column in COLUMNS.items()
        if (value := getattr(event, column))
    }
    AuditName.objects.bulk_create(
        [AuditName(organisation_id=org, kind=kind, value=value) for org, kind, value in found],
        ignore_conflicts=True,
    )


def _sorted(found: dict[str, set[str]]) -> dict[str, list[str]]:
    return {kind: sorted(values - {""}, key=str.casefold) for kind, values in found.items()}


def in_rows(rows: QuerySet[AuditEvent]) -> dict[str, list[str]]:
    """The names of each kind in these rows (one query), sorted."""
    found = {kind: set() for kind in COLUMNS}
    for pair in rows.order_by().values_list(*COLUMNS.values()).distinct():
        for kind, value in zip(COLUMNS, pair, strict=True):
            found[kind].add(value)
    return _sorted(found)


def of_organisation(organisation_id: int, unsealed: QuerySet[AuditEvent]) -> dict[str, list[str]]:
    """The names of each kind in the organisation's log, sorted: those the sealer
    recorded and those in its rows the sealer may not have reached yet (``unsealed``;
    three queries, none over the whole log)."""
    found = {kind: set() for kind in COLUMNS}
    recorded = AuditName.objects.filter(organisation_id=organisation_id).order_by()
    for kind, value in recorded.values_list("kind", "value"):
        found[kind].add(value)
    for kind, values in in_rows(unsealed).items():
        found[kind].update(values)
    return _sorted(found)
