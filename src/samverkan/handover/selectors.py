"""Reads of handovers, all through the disclosure pipeline (``access.pipeline``): the
header, each item of a packet and each record attached to it are decided and audited on
their own; each item or record shown
to the receiving organisation is recorded as a disclosure (``consent.Disclosure``) with
its ground and the catalogue's version."""

from __future__ import annotations

from dataclasses import dataclass, field

from samverkan.access import pipeline
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit.models import Action
from samverkan.consent import services as consent_services
from samverkan.consent import sharing
from samverkan.consent.selectors import category_names
from samverkan.core.errors import NotFound
from samverkan.legal import catalogue

from . import kinds
from .models import Handover, HandoverItem, HandoverRecord, Status


@dataclass
class HandoverView:
    handover: Handover
    ground_label: str
    kind_name: str
    shown: list = field(default_factory=list)  # (category name, item, ground label)
    withheld: list = field(default_factory=list)  # (category name, explanation)
    # Records attached to the packet (copies of SIPs), each decided like an item.
    records: list = field(default_factory=list)  # (record, ground label)
    records_withheld: list = field(default_factory=list)  # (record title, explanation)
    is_sender: bool = False
    may_receive: bool = False


def _ground_name(code: str) -> str:
    try:
        return catalogue.load().get(code).name
    except KeyError:
        return code


def _kind_name(code: str) -> str:
    try:
        return kinds.get(code).name
    except KeyError:
        return code


def handover_get(actor: Actor, public_id) -> HandoverView:
    try:
        handover = Handover.objects.select_related(
            "child", "from_organisation", "to_organisation"
        ).get(public_id=public_id)
    except (Handover.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    child_id = str(handover.child.public_id)
    pipeline.disclose_one(actor, Action.READ, handover, subject=child_id)
    items = list(HandoverItem.objects.filter(handover=handover))
    records = list(HandoverRecord.objects.filter(handover=handover))
    for item in items + records:
        item.handover = handover
    results = pipeline.disclose(
        actor, Action.READ, items, subject=lambda _i: child_id, reason="Överlämning"
    )
    record_results = pipeline.disclose(
        actor, Action.READ, records, subject=lambda _r: child_id, reason="Överlämning"
    )
    names = category_names()
    is_sender = actor.organisation_id == handover.from_organisation_id
    view = HandoverView(
        handover=handover,
        ground_label=_ground_name(handover.ground_code),
        kind_name=_kind_name(handover.kind),
        is_sender=is_sender,
        may_receive=(
            not is_sender
            and handover.status == Status.SENT
            and actor.has_perm(Permission.PEOPLE_REGISTER)
        ),
    )
    passed = []
    for result in results:
        name = names.get(result.resource.category, result.resource.category)
        if result.shown:
            view.shown.append((name, result.resource, result.ground.label))
            if not is_sender:
                passed.append(
                    consent_services.Passed(
                        child=handover.child,
                        decision=result.decision,
                        from_organisation_id=handover.from_organisation_id,
                        category=result.resource.category,
                        purpose=None,
                        what=f"Överlämning {handover.short_id}: {name}",
                    )
                )
        else:
            view.withheld.append((name, result.explanation))
    for result in record_results:
        record = result.resource
        if not result.shown:
            view.records_withheld.append((record.title, result.explanation))
            continue
        view.records.append((record, result.ground.label))
        if not is_sender:
            passed.append(
                consent_services.Passed(
                    child=handover.child,
                    decision=result.decision,
                    from_organisation_id=handover.from_organisation_id,
                    category=record.category,
                    purpose=None,
                    what=f"Överlämning {handover.short_id}: {record.title}",
                )
            )
    consent_services.disclosures_add(actor=actor, passed=passed)
    return view


def handovers_for_child(actor: Actor, child) -> list[tuple[Handover, object]]:
    """The handovers about the child the actor's organisation sent or received, each
    decided and audited (an organisation that is neither sees none)."""
    if not actor.has_membership:
        return []
    candidates = list(
        Handover.objects.filter(child=child)
        .filter(from_organisation_id=actor.organisation_id)
        .select_related("child", "from_organisation", "to_organisation")
    ) + list(
        Handover.objects.filter(
            child=child, to_organisation_id=actor.organisation_id
        ).select_related("child", "from_organisation", "to_organisation")
    )
    results = pipeline.disclose(
        actor,
        Action.READ,
        candidates,
        subject=lambda h: str(h.child.public_id),
        reason="Överlämningar för barnet",
    )
    return [(r.resource, r.ground) for r in results if r.shown]


def categories_for(kind: kinds.Kind, ground: catalogue.Ground) -> tuple[list, list]:
    """The categories of ``kind`` that may travel on ``ground`` and those that may not
    (as (code, name) pairs): a ground of the law carries only its own categories; a
    consent is asked per category when the packet is sent."""
    names = category_names()
    carried, not_carried = [], []
    for code in kind.categories:
        pair = (code, names.get(code, code))
        if ground.code == sharing.CONSENT or code in ground.categories or "*" in ground.categories:
            carried.append(pair)
        else:
            not_carried.append(pair)
    return carried, not_carried
