"""The handover packet as a record type of the retention schedule
(retention/data/schedule.yaml, rule ``overlamning``), counted from the day the receiver
answered (received or refused it), or, for a packet never answered, the day it was sent.

What was passed, to whom and on which ground stays after the packet is thinned: each
item the receiver read is a ``consent.Disclosure`` and an audit row, kept under their
own rules. Registered from ``HandoverConfig.ready()``; the retention app decides when,
writes the archive copy and the audit rows."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import F
from django.db.models.functions import Coalesce

from samverkan.retention import registry

from .models import Handover

CODE = "handover.handover"


def _clocked():
    return Handover.objects.annotate(
        clock=Coalesce(F("refused_at"), F("received_at"), F("sent_at"))
    ).select_related("child")


def candidates(cutoff: datetime.datetime) -> list[registry.Candidate]:
    return [
        registry.Candidate(
            resource_id=str(h.public_id), subject_id=str(h.child.public_id), clock=h.clock
        )
        for h in _clocked().filter(clock__lt=cutoff).order_by("clock", "pk")
    ]


def archive(ids: Sequence[str]) -> list[dict]:
    result = []
    for h in (
        Handover.objects.filter(public_id__in=ids)
        .select_related("child", "from_organisation", "to_organisation")
        .prefetch_related("items", "records")
    ):
        fields = [
            ("child_name", "Barnet", h.child.full_name),
            ("child_personal_number", "Personnummer", h.child.personal_number),
            ("from_organisation", "Från", h.from_organisation.name),
            ("to_organisation", "Till", h.to_organisation.name),
            ("kind", "Slag", h.kind),
            ("ground", "Grund", f"{h.ground_code} (grundkatalog {h.catalogue_version})"),
            ("sent", "Skickad", f"{h.sent_at.isoformat()} av {h.sent_by_name}"),
            ("status", "Status", h.get_status_display()),
            ("refusal_reason", "Mottagarens skäl", h.refusal_reason),
        ]
        fields += [(f"item_{i.category}", f"Uppgift: {i.category}", i.text) for i in h.items.all()]
        fields += [
            (f"record_{r.pk}", f"Bifogad: {r.title} ({r.category})", r.text)
            for r in h.records.all()
        ]
        result.append({"id": str(h.public_id), "title": str(h), "fields": fields})
    return result


def remove(ids: Sequence[str]) -> int:
    deleted, _ = Handover.objects.filter(public_id__in=ids).delete()
    return deleted


def register() -> None:
    registry.register(
        registry.RecordType(
            code=CODE,
            label="Överlämning när ett barn flyttar",
            candidates=candidates,
            archive=archive,
            remove=remove,
        )
    )
