"""Sending and receiving a handover when a child moves.

``handover_send`` refuses unless: the sender's organisation has its own open matter with
the child and the sender may open and close matters (``people.register``); the kind goes
from the sender's type to the receiver's; the ground is one the kind names; every item
that travels is in the kind's categories and may pass on the ground now (a consent
through ``access.passing.decide``, a ground of the law through the catalogue:
in force, direction, category, age, authorities); every condition of a ground that
needs a judgement is confirmed; the guardians have been told, or, where the kind allows
it, the reason they are not is written. A record attached to the packet (a copy of a
SIP the sender's organisation holds, ``plans.copies``) is decided the same way, by its
category; one the ground does not cover is refused, never sent (decision 0348). The
packet, its audit row and the receiving organisation's inbox item are written together.
A second packet for the same child and the same pair while one waits is refused
(``handover_one_waiting_per_pair``).

``handover_receive``: the receiving organisation acknowledges the packet; it opens its
own matter with the child (and enrols a pupil), the sending organisation's matter is
closed with a note of where it went, the sender's inbox is told.

``handover_refuse``: the receiving organisation sends the packet back with a reason (the
wrong school, the child is not coming). Nothing opens at the receiver, the sender's
matter stays open, the sender's inbox is told with the reason, and the refusal is
audited. The packet is no longer shown to the receiver; the sender may send again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.consent import sharing
from samverkan.core import bounds
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed
from samverkan.legal import catalogue, history
from samverkan.legal import organisations as legal_organisations
from samverkan.people import services as people
from samverkan.plans import copies as plan_copies

from . import inbox, kinds, policies
from .models import GuardianNotice, Handover, HandoverItem, HandoverRecord, Status


@dataclass(frozen=True)
class Item:
    category: str
    text: str


def _ground(code: str, kind: kinds.Kind) -> catalogue.Ground:
    if code not in kind.grounds:
        raise ValidationFailed(_("Välj en grund som gäller för den här överlämningen."), "ground")
    return catalogue.load().get(code)


def _items(kind: kinds.Kind, items: list[Item], *, records: bool = False) -> list[Item]:
    kept = []
    for item in items:
        text = (item.text or "").strip()
        if not text:
            continue
        if item.category not in kind.categories:
            raise ValidationFailed(
                _("Den kategorin följer inte med vid den här sortens överlämning."),
                field=f"item_{item.category}",
            )
        if len(text) > bounds.TEXT_PARAGRAPH:
            raise ValidationFailed(
                _("Texten får vara högst %(n)s tecken.") % {"n": bounds.TEXT_PARAGRAPH},
                field=f"item_{item.category}",
            )
        kept.append(Item(item.category, text))
    if not kept and not records:
        # Named at the first item's field, where the form shows it and its summary links.
        first = f"item_{items[0].category}" if items else "items"
        raise ValidationFailed(_("Skriv minst en uppgift som ska följa med."), field=first)
    return kept


def _notice(kind: kinds.Kind, ground_code: str, notice: str, note: str) -> tuple[str, str]:
    note = (note or "").strip()
    if ground_code == sharing.CONSENT:
        return GuardianNotice.CONSENT, note
    if notice == GuardianNotice.INFORMED:
        return notice, note
    if notice == GuardianNotice.WITHHELD and kind.may_withhold_notice:
        if not note:
            raise ValidationFailed(
                _("Skriv varför vårdnadshavarna inte ska få veta om överlämningen."),
                field="guardian_notice_note",
            )
        return notice, note
    raise ValidationFailed(
        _("Vårdnadshavarna ska få veta om överlämningen innan den skickas."),
        field="guardian_notice",
    )


def _records(actor, child, kind, draft, attached, now) -> list[plan_copies.Copy]:
    """Copies of the attached SIPs, each refused unless its category may travel in this
    kind of handover and pass on the handover's ground now."""
    records = []
    for public_id in attached:
        record = plan_copies.copy(actor, child, public_id)
        if record.category not in kind.categories:
            raise ValidationFailed(
                _(
                    "%(title)s kan inte bifogas: den sortens uppgifter följer inte med vid den "
                    "här sortens överlämning."
                )
                % {"title": record.title},
                field="attached",
            )
        decision = policies.item_decision(draft, record.category, at=now)
        if not decision.allowed:
            raise ValidationFailed(
                _("%(title)s kan inte bifogas: %(reason)s")
                % {"title": record.title, "reason": decision.reason},
                field="attached",
            )
        records.append(record)
    return records


def handover_send(
    *,
    actor: Actor,
    child_view,
    to_organisation_id: int,
    kind_code: str,
    ground_code: str,
    items: list[Item],
    confirmed: list[int],
    guardian_notice: str,
    guardian_notice_note: str = "",
    attached: list[str] = (),
) -> Handover:
    """``child_view``: the child as ``people.child_get`` gave it to the actor;
    ``attached``: the public ids of SIPs to attach a copy of."""
    if not child_view.own_matter or child_view.open_involvement is None:
        raise ValidationFailed(
            _("Bara en verksamhet som har ett pågående ärende med barnet kan lämna över det.")
        )
    if not actor.has_perm(Permission.PEOPLE_REGISTER):
        raise PermissionDenied(_("Din funktion får inte lämna över verksamhetens ärenden."))
    if to_organisation_id == actor.organisation_id:
        raise ValidationFailed(_("Välj en annan verksamhet än din egen."), "to_organisation")
    types = legal_organisations.kinds(actor.organisation_id, to_organisation_id)
    if to_organisation_id not in types:
        raise ValidationFailed(_("Mottagaren finns inte."), field="to_organisation")
    try:
        kind = kinds.get(kind_code)
    except KeyError:
        raise ValidationFailed(_("Välj vad överlämningen gäller."), field="kind") from None
    if not kind.goes(types[actor.organisation_id].org_type, types[to_organisation_id].org_type):
        raise ValidationFailed(
            _("%(kind)s går inte från din verksamhet till den mottagaren.") % {"kind": kind.name},
            field="to_organisation",
        )
    ground = _ground(ground_code, kind)
    attached = list(dict.fromkeys(a for a in attached if a))
    items = _items(kind, items, records=bool(attached))
    notice, note = _notice(kind, ground.code, guardian_notice, guardian_notice_note)
    if ground.judgement and sorted(set(confirmed)) != list(range(len(ground.conditions))):
        raise ValidationFailed(
            _("Alla villkor för grunden måste vara uppfyllda och bekräftade."),
            field="conditions",
        )
    now = timezone.now()
    draft = Handover(
        child=child_view.child,
        from_organisation_id=actor.organisation_id,
        to_organisation_id=to_organisation_id,
        ground_code=ground.code,
    )
    for item in items:
        decision = policies.item_decision(draft, item.category, at=now)
        if not decision.allowed:
            raise ValidationFailed(decision.reason, field=f"item_{item.category}")
    records = _records(actor, child_view.child, kind, draft, attached, now)
    history.record()
    current = catalogue.load()
    try:
        with transaction.atomic():
            handover = Handover.objects.create(
                child=child_view.child,
                kind=kind.code,
                from_organisation_id=actor.organisation_id,
                to_organisation_id=to_organisation_id,
                ground_code=ground.code,
                catalogue_version=current.version,
                conditions_confirmed=list(ground.conditions) if ground.judgement else [],
                guardian_notice=notice,
                guardian_notice_note=note,
                sent_at=now,
                sent_by_id=actor.user_id,
                sent_by_name=actor.label,
            )
            HandoverItem.objects.bulk_create(
                [HandoverItem(handover=handover, category=i.category, text=i.text) for i in items]
            )
            HandoverRecord.objects.bulk_create(
                [
                    HandoverRecord(
                        handover=handover,
                        record_type="plans.plan",
                        record_id=c.public_id,
                        version=c.version,
                        category=c.category,
                        title=c.title,
                        text=c.text,
                    )
                    for c in records
                ]
            )
            audit.event_record(
                actor=actor,
                action=Action.CREATE,
                resource_type="handover.handover",
                resource_id=str(handover.public_id),
                subject_id=str(child_view.child.public_id),
                ground=audit.Ground(
                    code=ground.code,
                    label=f"{ground.name} ({ground.statute_text})"[:300],
                    reference=str(handover.public_id),
                    version=current.version,
                ),
                reason=_("Överlämning skickad"),
                details={
                    "to_organisation_id": to_organisation_id,
                    "kind": kind.code,
                    "categories": [i.category for i in items],
                    "records": [f"plans.plan:{c.public_id}:v{c.version}" for c in records],
                    "guardian_notice": notice,
                },
            )
            inbox.sent(handover)
    except IntegrityError:
        raise ValidationFailed(
            _("En överlämning av barnet till den verksamheten väntar redan på kvittens.")
        ) from None
    return handover


def _for_receipt(actor: Actor, public_id) -> Handover:
    try:
        handover = (
            Handover.objects.select_for_update()
            .select_related("child", "from_organisation")
            .get(public_id=public_id, to_organisation_id=actor.organisation_id)
        )
    except (Handover.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if not actor.has_perm(Permission.PEOPLE_REGISTER):
        raise PermissionDenied(_("Din funktion får inte ta emot överlämningar."))
    return handover


@transaction.atomic
def handover_refuse(*, actor: Actor, public_id, reason: str) -> Handover:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Skriv varför överlämningen avvisas, så att avsändaren vet vad som är fel."),
            field="reason",
        )
    if len(reason) > bounds.TEXT_PARAGRAPH:
        raise ValidationFailed(
            _("Skälet får vara högst %(n)s tecken.") % {"n": bounds.TEXT_PARAGRAPH},
            field="reason",
        )
    handover = _for_receipt(actor, public_id)
    if handover.status == Status.REFUSED:
        return handover
    if handover.status != Status.SENT:
        raise ValidationFailed(_("Överlämningen är redan kvitterad och kan inte avvisas."))
    handover.status = Status.REFUSED
    handover.refused_at = timezone.now()
    handover.refused_by_id = actor.user_id
    handover.refused_by_name = actor.label
    handover.refusal_reason = reason
    handover.save(
        update_fields=[
            "status",
            "refused_at",
            "refused_by",
            "refused_by_name",
            "refusal_reason",
            "updated_at",
        ]
    )
    audit.event_record(
        actor=actor,
        action=Action.CHANGE,
        resource_type="handover.handover",
        resource_id=str(handover.public_id),
        subject_id=str(handover.child.public_id),
        ground=policies.receiver_ground(handover),
        reason=_("Överlämning avvisad"),
        details={"from_organisation_id": handover.from_organisation_id, "refused": True},
    )
    inbox.refused(handover, actor)
    return handover


@transaction.atomic
def handover_receive(*, actor: Actor, public_id) -> Handover:
    handover = _for_receipt(actor, public_id)
    if handover.status == Status.RECEIVED:
        return handover
    decision = policies.decide_handover(actor, Action.READ, handover)
    if not decision.allowed:
        raise ValidationFailed(decision.reason)
    kind = kinds.get(handover.kind)
    people.involvement_move(
        actor=actor,
        child=handover.child,
        from_organisation_id=handover.from_organisation_id,
        context="" if kind.receiver_context == kinds.CARRY else kind.receiver_context,
        ground=decision.ground,
        # Stored in Swedish, like every note in a matter (decision 0180).
        note=f"Överlämnat till {actor.organisation_name} (överlämning {handover.short_id})",
    )
    handover.status = Status.RECEIVED
    handover.received_at = timezone.now()
    handover.received_by_id = actor.user_id
    handover.received_by_name = actor.label
    handover.save(
        update_fields=["status", "received_at", "received_by", "received_by_name", "updated_at"]
    )
    audit.event_record(
        actor=actor,
        action=Action.CHANGE,
        resource_type="handover.handover",
        resource_id=str(handover.public_id),
        subject_id=str(handover.child.public_id),
        ground=decision.ground,
        reason=_("Överlämning kvitterad"),
        details={"from_organisation_id": handover.from_organisation_id},
    )
    inbox.received(handover, actor)
    return handover
