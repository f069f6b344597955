"""Handovers in the inbox (notify.inbox): a packet sent reaches the receiving
organisation (shown only to a reader the handover's policy lets see it: before the
receipt a function that may take it over); a packet received is told to the sending
organisation. The title names the child only to a reader who may read the packet now."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.notify import inbox
from samverkan.notify import services as notify

from .models import Handover

SENT = "handover.sent"
RECEIVED = "handover.received"
REFUSED = "handover.refused"


def sent(handover: Handover) -> None:
    notify.inbox_deliver(
        kind=SENT,
        organisation_id=handover.to_organisation_id,
        whole_organisation=True,
        ref_id=str(handover.public_id),
        subject_id=str(handover.child.public_id),
    )


def received(handover: Handover, actor: Actor) -> None:
    notify.inbox_close(kind=SENT, ref_id=str(handover.public_id), user_id=actor.user_id)
    notify.inbox_deliver(
        kind=RECEIVED,
        organisation_id=handover.from_organisation_id,
        whole_organisation=True,
        ref_id=str(handover.public_id),
        subject_id=str(handover.child.public_id),
    )


def refused(handover: Handover, actor: Actor) -> None:
    notify.inbox_close(kind=SENT, ref_id=str(handover.public_id), user_id=actor.user_id)
    notify.inbox_deliver(
        kind=REFUSED,
        organisation_id=handover.from_organisation_id,
        whole_organisation=True,
        ref_id=str(handover.public_id),
        subject_id=str(handover.child.public_id),
    )


def _resolve(actor: Actor, items) -> dict[int, inbox.Shown | None]:
    handovers = {
        str(h.public_id): h
        for h in Handover.objects.filter(public_id__in={i.ref_id for i in items}).select_related(
            "child", "from_organisation", "to_organisation"
        )
    }
    result: dict[int, inbox.Shown | None] = {}
    for item in items:
        handover = handovers.get(item.ref_id)
        decision = policy.decide(actor, Action.READ, handover) if handover else None
        if not decision:
            result[item.pk] = None
            continue
        if item.kind == SENT:
            title = _("Överlämning av %(child)s från %(org)s att kvittera") % {
                "child": handover.child.full_name,
                "org": handover.from_organisation.name,
            }
        elif item.kind == REFUSED:
            title = _("%(org)s har avvisat överlämningen av %(child)s") % {
                "child": handover.child.full_name,
                "org": handover.to_organisation.name,
            }
        else:
            title = _("%(org)s har tagit emot överlämningen av %(child)s") % {
                "child": handover.child.full_name,
                "org": handover.to_organisation.name,
            }
        result[item.pk] = inbox.Shown(
            title=title,
            url=reverse("handover:detail", args=[handover.public_id]),
            subject_id=str(handover.child.public_id),
            ground=decision.ground,
        )
    return result


def register() -> None:
    inbox.register(SENT, label=gettext_lazy("Överlämning att kvittera"), resolve=_resolve)
    inbox.register(
        RECEIVED, label=gettext_lazy("Överlämning som har tagits emot"), resolve=_resolve
    )
    inbox.register(
        REFUSED, label=gettext_lazy("Överlämning som mottagaren avvisade"), resolve=_resolve
    )
