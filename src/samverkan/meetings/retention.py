"""Record types of the retention schedule that the meetings app owns
(retention/data/schedule.yaml), counted from the day the meeting was held:

- ``meetings.identified_item``: an item about a named child (raised under a consent);
- ``meetings.anonymised_item``: a de-identified case consultation.

Registered from ``MeetingsConfig.ready()``; the retention app decides when, writes the
archive copy (for rules that keep one) and the audit rows."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from samverkan.retention import registry

from .models import AgendaItem, ItemKind

IDENTIFIED = "meetings.identified_item"
ANONYMISED = "meetings.anonymised_item"


def _candidates(kind: str):
    def candidates(cutoff: datetime.datetime) -> list[registry.Candidate]:
        items = (
            AgendaItem.objects.filter(kind=kind, meeting__starts_at__lt=cutoff)
            .select_related("meeting", "child")
            .order_by("meeting__starts_at", "pk")
        )
        return [
            registry.Candidate(
                resource_id=str(item.public_id),
                subject_id=str(item.child.public_id) if item.child_id else "",
                clock=item.meeting.starts_at,
            )
            for item in items
        ]

    return candidates


def archive(ids: Sequence[str]) -> list[dict]:
    items = AgendaItem.objects.filter(public_id__in=ids).select_related(
        "meeting__forum", "author_organisation", "child"
    )
    result = []
    for item in items:
        fields = [
            ("forum", "Forum", item.meeting.forum.name),
            ("meeting_starts_at", "Mötet", item.meeting.starts_at.isoformat()),
            ("kind", "Slag", item.get_kind_display()),
            ("title", "Rubrik", item.title),
            ("text", "Text", item.text),
            ("decision", "Beslut", item.decision),
            ("author_organisation", "Väckt av verksamhet", item.author_organisation.name),
            ("author_name", "Väckt av", item.author_name),
        ]
        if item.child_id:
            fields += [
                ("child_name", "Barnet", item.child.full_name),
                ("child_personal_number", "Personnummer", item.child.personal_number),
                ("category", "Uppgiftskategori", item.category),
                ("consent_reference", "Samtycke", item.consent_reference),
            ]
        result.append({"id": str(item.public_id), "title": item.title, "fields": fields})
    return result


def remove(ids: Sequence[str]) -> int:
    deleted, _ = AgendaItem.objects.filter(public_id__in=ids).delete()
    return deleted


def register() -> None:
    for code, kind, label in (
        (IDENTIFIED, ItemKind.IDENTIFIED, "Ärende med namn på ett samverkansmöte"),
        (ANONYMISED, ItemKind.ANONYMISED, "Avidentifierad ärendekonsultation"),
    ):
        registry.register(
            registry.RecordType(
                code=code,
                label=label,
                candidates=_candidates(kind),
                archive=archive,
                remove=remove,
            )
        )
