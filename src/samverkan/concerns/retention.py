"""Record types of the retention schedule that the concerns app owns
(retention/data/schedule.yaml):

- ``concerns.report_not_investigated``: a report after which social services decided
  not to open an investigation, counted from the day it arrived. Removed with what
  belongs to it: a written report completing it, the handling, the timeline, meetings,
  inbox items, evaluations and risk/protective factor tags.

Registered from ``ConcernsConfig.ready()``; the retention app decides when and writes
the audit rows."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import Q

from samverkan.knowledge import services as knowledge
from samverkan.notify import services as notify
from samverkan.retention import registry

from .models import Entry, Evaluation, Handling, Meeting, PreliminaryDecision, Report

NOT_INVESTIGATED = "concerns.report_not_investigated"


def _due(cutoff: datetime.datetime):
    return Report.objects.filter(
        completes__isnull=True,
        handling__preliminary_decision=PreliminaryDecision.NOT_OPEN,
        received_at__lt=cutoff,
    )


def candidates(cutoff: datetime.datetime) -> list[registry.Candidate]:
    return [
        registry.Candidate(
            resource_id=str(r.public_id),
            subject_id=str(r.child.public_id) if r.child_id else "",
            clock=r.received_at,
        )
        for r in _due(cutoff).select_related("child").order_by("received_at", "pk")
    ]


def archive(ids: Sequence[str]) -> list[dict]:
    # Reports that were not investigated are thinned, not archived (the schedule says
    # archive: false); the content is still well-defined should a municipality decide so.
    reports = Report.objects.filter(public_id__in=ids).select_related(
        "handling", "receiving_organisation", "reporter_organisation"
    )
    return [
        {
            "id": str(r.public_id),
            "title": f"Orosanmälan {r.reference}",
            "fields": [
                ("reference", "Referens", r.reference),
                ("received_at", "Kom in", r.received_at.isoformat()),
                ("receiving_organisation", "Mottagare", r.receiving_organisation.name),
                ("worry", "Oro", r.worry),
                ("decision", "Beslut", r.handling.get_preliminary_decision_display()),
            ],
        }
        for r in reports
    ]


def remove(ids: Sequence[str]) -> int:
    reports = list(Report.objects.filter(public_id__in=ids))
    family = Report.objects.filter(Q(pk__in=[r.pk for r in reports]) | Q(completes__in=reports))
    pks = list(family.values_list("pk", flat=True))
    public_ids = list(family.values_list("public_id", flat=True))
    knowledge.factor_tags_remove_for_retention(target_type="concerns.report", target_ids=public_ids)
    # Replies before the entries they answer (the link is PROTECT).
    entries = Entry.objects.filter(report_id__in=pks)
    while entries.exists():
        entries.exclude(replies__isnull=False).delete()
    notify.items_remove([str(p) for p in public_ids])
    for model in (Meeting, Evaluation, Handling):
        model.objects.filter(report_id__in=pks).delete()
    Report.objects.filter(pk__in=pks, completes__isnull=False).delete()
    Report.objects.filter(pk__in=pks).delete()
    return len(reports)


def register() -> None:
    registry.register(
        registry.RecordType(
            code=NOT_INVESTIGATED,
            label="Orosanmälan som inte ledde till utredning",
            candidates=candidates,
            archive=archive,
            remove=remove,
        )
    )
