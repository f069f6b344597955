"""Changing the catalogue in the product (decision 0300): someone holding
``legal.propose`` proposes a change to one ground; a different person holding
``legal.review`` approves or refuses it with a reason (four eyes). Approval makes a new
catalogue version adopted on the proposal's day (today or later: the past is never
changed); refusal keeps the proposal in the history. Each step is audited.

Rules an edit cannot break (``propose``):
- whether a ground needs a human judgement is not changed in the product: the law
  decides it and the code acts on it (a judgement ground is never applied by itself);
  the documented interest-balancing may be added, never removed;
- an edit that lets a ground Samverkan applies by itself pass more (directions,
  categories, dates, ages, private principals) must be acknowledged by the proposer,
  and the reviewer sees the list;
- the whole new catalogue must pass the same validation as the file (schema, statute
  references in the checked form, dates in order, conditions on judgement grounds).
"""

from __future__ import annotations

import copy
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.audit.services import Ground
from samverkan.core import bounds
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed

from . import catalogue, diff, history
from .models import CatalogueChange, CatalogueVersion, ChangeKind, ChangeStatus, Origin

EDITING = Ground(code="catalogue_editing", label="Granskning av katalogen över rättsliga grunder")


def may_propose(actor: Actor | None) -> bool:
    return actor is not None and actor.has_perm(Permission.LEGAL_PROPOSE)


def may_review(actor: Actor | None) -> bool:
    return actor is not None and actor.has_perm(Permission.LEGAL_REVIEW)


def may_read_changes(actor: Actor | None) -> bool:
    return may_propose(actor) or may_review(actor)


def may_decide(actor: Actor | None, change: CatalogueChange) -> bool:
    return (
        may_review(actor)
        and change.status == ChangeStatus.PROPOSED
        and change.proposed_by_id != actor.user_id
    )


def change_get(actor: Actor, public_id) -> CatalogueChange:
    if not may_read_changes(actor):
        raise PermissionDenied(_("Bara den som får föreslå eller granska ändringar ser förslagen."))
    change = CatalogueChange.objects.filter(public_id=public_id).first()
    if change is None:
        raise NotFound(_("Förslaget finns inte."))
    return change


def change_list(actor: Actor) -> list[CatalogueChange]:
    if not may_read_changes(actor):
        raise PermissionDenied(_("Bara den som får föreslå eller granska ändringar ser förslagen."))
    return list(CatalogueChange.objects.select_related("resulting_version"))


def base() -> CatalogueVersion:
    """The version a proposal is written against: the newest (it may start later)."""
    row = history.latest()
    if row is None:
        history.record()
        row = history.latest()
    return row


def ground_data(data: dict, code: str) -> dict | None:
    return next((g for g in data["grounds"] if g["code"] == code), None)


def earliest_day() -> datetime.date:
    """A new version starts today at the earliest, and not before the newest one."""
    today = timezone.localdate()
    row = history.latest()
    return max(today, row.adopted_on) if row else today


def _check_day(day: datetime.date, field: str) -> None:
    first = earliest_day()
    if day < first:
        raise ValidationFailed(
            _(
                "Dagen då ändringen börjar gälla kan inte vara före %(day)s: det som redan "
                "har gällt ändras aldrig, och en senare version finns redan."
            )
            % {"day": first.isoformat()},
            field=field,
        )
    bounds.check_date(day, window=bounds.PLANNED, field=field)


def _catalogue_with(data: dict, ground: dict, *, version: str, day: datetime.date) -> dict:
    new = copy.deepcopy(data)
    new["grounds"] = [ground if g["code"] == ground["code"] else g for g in new["grounds"]]
    new["version"], new["adopted_on"] = version, day.isoformat()
    return new


def _invalid(data: dict) -> None:
    problems = catalogue.errors(data)
    if problems:
        raise ValidationFailed(
            _("Ändringen går inte att ta in i katalogen: %(problems)s")
            % {"problems": "; ".join(problems)[: bounds.TEXT_LINE]}
        )


def propose(
    *,
    actor: Actor,
    ground: dict,
    applies_from: datetime.date,
    reason: str,
    acknowledged: bool = False,
) -> CatalogueChange:
    """``ground``: the whole proposed ground (the form's fields on the one in force)."""
    if not may_propose(actor):
        raise PermissionDenied(_("Du får inte föreslå ändringar i katalogen."))
    row = base()
    current = ground_data(row.data, ground.get("code", ""))
    if current is None:
        raise ValidationFailed(_("Grunden finns inte i katalogen."), field="ground")
    ground = {**ground, "judgement": current["judgement"]}
    ground["checked_by_product"] = current.get("checked_by_product", [])
    if current.get("balancing") and not ground.get("balancing"):
        raise ValidationFailed(
            _(
                "Den dokumenterade intresseavvägningen kan inte tas bort: lagen kräver den "
                "för den här grunden."
            ),
            field="balancing",
        )
    if ground == current:
        raise ValidationFailed(_("Förslaget ändrar ingenting i grunden."))
    reason = bounds.check_text(reason, max_length=bounds.TEXT_NOTE, field="reason").strip()
    if not reason:
        raise ValidationFailed(_("Skriv varför grunden ska ändras."), field="reason")
    _check_day(applies_from, "applies_from")
    wider = diff.widens(current, ground)
    if wider and not acknowledged:
        raise ValidationFailed(
            _(
                "Ändringen gör att Samverkan lämnar ut automatiskt, utan en människas "
                "bedömning, i fler fall (%(what)s). Bekräfta att det är avsikten."
            )
            % {"what": ", ".join(wider)},
            field="acknowledge_wider",
        )
    _invalid(_catalogue_with(row.data, ground, version="forslag", day=applies_from))
    now = timezone.now()
    with transaction.atomic():
        change = CatalogueChange.objects.create(
            kind=ChangeKind.GROUND,
            ground_code=ground["code"],
            base_version=row.version,
            data=ground,
            applies_from=applies_from,
            reason=reason,
            acknowledged="; ".join(wider),
            proposed_at=now,
            proposed_by_id=actor.user_id,
            proposed_by_name=actor.label[: bounds.TEXT_LINE],
            proposed_by_function=actor.function_name or "",
        )
        audit.event_record(
            actor=actor,
            action=Action.CREATE,
            resource_type="legal.cataloguechange",
            resource_id=str(change.public_id),
            ground=EDITING,
            reason=_("Förslag till ändring av grunden %(code)s") % {"code": ground["code"]},
            details={
                "ground_code": ground["code"],
                "base_version": row.version,
                "applies_from": applies_from.isoformat(),
                "widens": wider,
            },
        )
    return change


def _version_name(change: CatalogueChange, day: datetime.date, prefix: str = "") -> str:
    return f"{prefix or day.isoformat()}-k{change.short_id}"[:40]


def _merged(change: CatalogueChange, day: datetime.date) -> tuple[dict, CatalogueVersion]:
    latest = base()
    if change.kind == ChangeKind.UPGRADE:
        from . import upgrades

        merged, _conflicts = upgrades.merge_for(change, latest)
        merged["version"] = _version_name(change, day, merged["version"])
        merged["adopted_on"] = day.isoformat()
        return merged, latest
    then = CatalogueVersion.objects.filter(version=change.base_version).first()
    before = ground_data(then.data, change.ground_code) if then else None
    if ground_data(latest.data, change.ground_code) != before:
        raise ValidationFailed(
            _(
                "Grunden har ändrats sedan förslaget skrevs (nu version %(version)s). "
                "Avslå förslaget och skriv ett nytt mot den version som gäller."
            )
            % {"version": latest.version}
        )
    return _catalogue_with(
        latest.data, change.data, version=_version_name(change, day), day=day
    ), latest


def review(
    *,
    actor: Actor,
    change: CatalogueChange,
    approve: bool,
    reason: str,
    applies_from: datetime.date | None = None,
) -> CatalogueChange:
    """Approve (a new version adopted on ``applies_from``, by default the proposal's
    day) or refuse, with a reason, by someone other than the proposer."""
    if not may_review(actor):
        raise PermissionDenied(_("Du får inte granska ändringar i katalogen."))
    if change.proposed_by_id is not None and change.proposed_by_id == actor.user_id:
        raise PermissionDenied(
            _("Den som har föreslagit en ändring kan inte själv granska den (fyra ögon).")
        )
    if change.status != ChangeStatus.PROPOSED:
        raise ValidationFailed(_("Förslaget är redan granskat."))
    reason = bounds.check_text(reason, max_length=bounds.TEXT_NOTE, field="review_reason").strip()
    if not reason:
        raise ValidationFailed(_("Skriv skälet till beslutet."), field="review_reason")
    row = None
    if approve:
        day = applies_from or change.applies_from
        if day is None:
            raise ValidationFailed(_("Välj dagen då versionen börjar gälla."), field="applies_from")
        _check_day(day, "applies_from")
        data, _latest = _merged(change, day)
        _invalid(data)
        parsed = catalogue.parse(data)
    now = timezone.now()
    with transaction.atomic():
        change.status = ChangeStatus.APPROVED if approve else ChangeStatus.REFUSED
        change.reviewed_at = now
        change.reviewed_by_id = actor.user_id
        change.reviewed_by_name = actor.label[: bounds.TEXT_LINE]
        change.reviewed_by_function = actor.function_name or ""
        change.review_reason = reason
        if approve:
            change.applies_from = day
        change.save()
        if approve:
            row = CatalogueVersion.objects.create(
                version=parsed.version,
                adopted_on=parsed.adopted_on,
                digest=parsed.digest,
                data=data,
                origin=Origin.PRODUCT,
                change=change,
            )
        audit.event_record(
            actor=actor,
            action=Action.CHANGE,
            resource_type="legal.cataloguechange",
            resource_id=str(change.public_id),
            ground=EDITING,
            reason=(_("Ändringsförslag fastställt") if approve else _("Ändringsförslag avslaget")),
            details={
                "status": change.status,
                "kind": change.kind,
                "ground_code": change.ground_code,
                "version": row.version if row else "",
                "applies_from": day.isoformat() if approve else "",
            },
        )
        if row is not None:
            audit.event_record(
                actor=actor,
                action=Action.CREATE,
                resource_type="legal.catalogueversion",
                resource_id=row.version,
                ground=EDITING,
                reason=_("Ny version av katalogen över rättsliga grunder"),
                details={"adopted_on": row.adopted_on.isoformat(), "change": str(change.public_id)},
            )
        transaction.on_commit(history.forget)
    return change
