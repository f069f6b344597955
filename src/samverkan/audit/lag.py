"""How far the sealer is behind: for /healthz and the Prometheus metrics.

Cheap on a large log: both questions start from the last link of the chain (the seal
table's primary key) and look only at rows written after the row it links, by the event
table's primary key. Rows that commit late below that point (PostgreSQL stragglers,
see services._straggler_window) are sealed within seconds and are not counted here."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from .models import AuditEvent, AuditSeal


@dataclass(frozen=True)
class SealerLag:
    unsealed: int
    seconds: float


def sealer_lag() -> SealerLag:
    last = AuditSeal.objects.order_by("-seq").values_list("event_id", flat=True).first()
    pending = AuditEvent.objects.filter(id__gt=last or 0)
    oldest = pending.order_by("id").values_list("occurred_at", flat=True).first()
    if oldest is None:
        return SealerLag(unsealed=0, seconds=0.0)
    seconds = max(0.0, (timezone.now() - oldest).total_seconds())
    return SealerLag(unsealed=pending.count(), seconds=round(seconds, 3))
