"""Retention (gallring): legal holds and the run that thins what has passed its time.

``retention_run`` is what the scheduled task calls (``samverkan retention run``, daily
from deploy/systemd/samverkan-retention.timer). For every rule of the schedule whose
action is ``thin`` and whose record type is registered, it:

1. asks the record type for the records whose clock started before the cutoff
   (``now`` minus the rule's years);
2. leaves every record an active legal hold covers;
3. for a rule with ``archive: true``, writes and validates the archive copy (JSON and
   PDF/A) first: if that fails, nothing of that rule is removed;
4. removes the records and writes one audit row per record removed (action
   ``delete``, ground ``retention`` naming the rule, its decision and the schedule
   version), in one transaction per rule.

Nothing is removed without a rule, and a rule removes nothing without a registered
record type. Audit rows themselves are never thinned here (see the rule ``logg``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from samverkan.audit import services as audit
from samverkan.audit import subjects
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import NotFound, ValidationFailed
from samverkan.core.unique import get_or_create_once

from . import archive, registry, schedule
from .models import LegalHold

RESOURCE_HOLD = "retention.hold"


def ground_for(rule: schedule.Rule, version: str) -> audit.Ground:
    return audit.Ground(
        code="retention",
        label=f"Gallring: {rule.title} ({rule.keep_years} år), gallringsplan {version}"[:300],
        reference=rule.code,
    )


# Legal holds ------------------------------------------------------------------------


def _text(value: str, field_name: str, label: str, limit: int, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(f"Ange {label}.", field=field_name)
    if len(value) > limit:
        raise ValidationFailed(
            f"{label.capitalize()} får vara högst {limit} tecken.", field=field_name
        )
    return value


@transaction.atomic
def hold_place(
    *,
    placed_by: str,
    reason: str,
    personal_number: str = "",
    record_type: str = "",
    reference: str = "",
    actor=None,
) -> LegalHold:
    """Stop thinning for a child (by personnummer), a record type, or both."""
    placed_by = _text(placed_by, "placed_by", "vem som beslutar", bounds.TEXT_NAME, required=True)
    reason = _text(reason, "reason", "skälet", bounds.TEXT_PARAGRAPH, required=True)
    reference = _text(reference, "reference", "referensen", bounds.TEXT_NAME, required=False)
    subject_id = ""
    if personal_number.strip():
        subject = subjects.lookup(personal_number)  # ValidationFailed on a malformed number
        if subject is None:
            raise ValidationFailed("Inget barn med det numret finns i Samverkan.", field="child")
        subject_id = subject.id
    record_type = record_type.strip()
    if record_type and record_type not in {r.record_type for r in schedule.load().rules}:
        raise ValidationFailed(
            "Posttypen finns inte i gallringsplanen. Välj en av: "
            + ", ".join(r.record_type for r in schedule.load().rules),
            field="record_type",
        )
    if not subject_id and not record_type:
        raise ValidationFailed("Ange barnet, posttypen eller båda.", field="child")
    # Placing the same hold twice places it once (the constraint is the truth: two at
    # once find the one either of them made).
    hold, made = get_or_create_once(
        LegalHold,
        subject_id=subject_id,
        record_type=record_type,
        released_at=None,
        defaults={
            "reason": reason,
            "reference": reference,
            "placed_at": timezone.now(),
            "placed_by": placed_by,
        },
    )
    if not made:
        return hold
    audit.event_record(
        actor=actor,
        action=Action.CREATE,
        resource_type=RESOURCE_HOLD,
        resource_id=str(hold.public_id),
        subject_id=subject_id,
        reason=reason,
        details={"record_type": record_type, "reference": reference, "placed_by": placed_by},
    )
    return hold


@transaction.atomic
def hold_release(*, public_id, released_by: str, reason: str, actor=None) -> LegalHold:
    released_by = _text(
        released_by, "released_by", "vem som beslutar", bounds.TEXT_NAME, required=True
    )
    reason = _text(reason, "reason", "skälet", bounds.TEXT_PARAGRAPH, required=True)
    try:
        hold = LegalHold.objects.select_for_update().get(public_id=public_id)
    except (LegalHold.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound("Spärren finns inte.") from exc
    if hold.released_at is not None:
        raise ValidationFailed("Spärren är redan hävd.")
    hold.released_at = timezone.now()
    hold.released_by = released_by
    hold.release_reason = reason
    hold.save(update_fields=["released_at", "released_by", "release_reason", "updated_at"])
    audit.event_record(
        actor=actor,
        action=Action.CHANGE,
        resource_type=RESOURCE_HOLD,
        resource_id=str(hold.public_id),
        subject_id=hold.subject_id,
        reason=reason,
        details={"released_by": released_by, "record_type": hold.record_type},
    )
    return hold


def holds_active() -> list[LegalHold]:
    return list(LegalHold.objects.filter(released_at__isnull=True))


# The run ----------------------------------------------------------------------------


@dataclass
class RuleResult:
    rule: schedule.Rule
    status: str  # "thinned", "dry_run", "kept", "partition", "no_record_type", "archive_failed"
    removed: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    due: list[str] = field(default_factory=list)
    archive: archive.Written | None = None
    message: str = ""


@dataclass
class RunResult:
    version: str
    at: datetime.datetime
    dry_run: bool
    rules: list[RuleResult]

    @property
    def removed(self) -> int:
        return sum(len(r.removed) for r in self.rules)

    @property
    def failed(self) -> bool:
        return any(r.status == "archive_failed" for r in self.rules)


def retention_run(
    *,
    now: datetime.datetime | None = None,
    dry_run: bool = False,
    archive_dir: Path | None = None,
    actor=None,
) -> RunResult:
    now = now or timezone.now()
    plan = schedule.load()
    holds = holds_active()
    results: list[RuleResult] = []
    for rule in plan.rules:
        if rule.action == schedule.KEEP:
            results.append(RuleResult(rule, "kept"))
            continue
        if rule.action == schedule.PARTITION:
            results.append(RuleResult(rule, "partition"))
            continue
        kind = registry.get(rule.record_type)
        if kind is None:
            results.append(
                RuleResult(rule, "no_record_type", message="Ingen posttyp i koden: inget gallras.")
            )
            continue
        results.append(_thin(plan, rule, kind, holds, now, dry_run, archive_dir, actor))
    if not dry_run:
        audit.event_record(
            actor=actor,
            action=Action.DELETE,
            resource_type="retention.run",
            ground=audit.Ground(code="retention", label=f"Gallringsplan {plan.version}"),
            details={
                "schedule_version": plan.version,
                "removed": {r.rule.code: len(r.removed) for r in results if r.removed},
                "held": {r.rule.code: len(r.held) for r in results if r.held},
                "failed": [r.rule.code for r in results if r.status == "archive_failed"],
            },
        )
    return RunResult(version=plan.version, at=now, dry_run=dry_run, rules=results)


def _thin(plan, rule, kind, holds, now, dry_run, archive_dir, actor) -> RuleResult:
    candidates = kind.candidates(rule.cutoff(now))
    free = [
        c for c in candidates if not any(h.covers(rule.record_type, c.subject_id) for h in holds)
    ]
    held = [c.resource_id for c in candidates if c not in free]
    result = RuleResult(rule, "dry_run" if dry_run else "thinned", held=held)
    result.due = [c.resource_id for c in free]
    if dry_run or not free:
        return result
    written = None
    if rule.archive:
        if archive_dir is None:
            result.status = "archive_failed"
            result.message = "Regeln kräver arkivering före gallring: ange en arkivkatalog."
            return result
        try:
            doc = archive.document(
                schedule=plan,
                rule=rule,
                candidates=free,
                contents=kind.archive([c.resource_id for c in free]),
            )
            written = archive.write(doc, Path(archive_dir))
        except (archive.ArchiveInvalid, OSError) as exc:
            result.status = "archive_failed"
            result.message = f"Arkivexporten misslyckades, inget gallrades: {exc}"
            return result
        result.archive = written
    ground = ground_for(rule, plan.version)
    with transaction.atomic():
        kind.remove([c.resource_id for c in free])
        audit.events_record(
            [
                {
                    "actor": actor,
                    "action": Action.DELETE,
                    "resource_type": rule.record_type,
                    "resource_id": c.resource_id,
                    "subject_id": c.subject_id,
                    "ground": ground,
                    "reason": rule.decision,
                    "details": {
                        "rule": rule.code,
                        "schedule_version": plan.version,
                        "clock": c.clock.isoformat(),
                        "cutoff": rule.cutoff(now).isoformat(),
                        "archive": written.json_path.name if written else "",
                        "archive_sha256": written.sha256 if written else "",
                    },
                }
                for c in free
            ]
        )
    result.removed = [c.resource_id for c in free]
    return result
