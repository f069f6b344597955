"""The SIP's items in the inbox (notify.inbox): a call to acknowledge, sent to each
called organisation (its contact function for the caller, else the functions that take
calls there), and a follow-up coming up, sent to the coordinator. What an item says is
derived when it is read, after the access policy has decided for the reader: without a
ground (a consent revoked) the item shows nothing."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.directory import selectors as directory
from samverkan.notify import inbox, receivers
from samverkan.notify import services as notify

from .models import Plan

CALL = "plans.call"
FOLLOW_UP = "plans.follow_up"


def call_deliver(plan: Plan, organisation_ids: list[int]) -> None:
    """Put the call in the inbox of each called organisation, with the clock for its
    acknowledgement."""
    due = timezone.now() + datetime.timedelta(days=settings.SAMVERKAN["SIP_ACK_DAYS"])
    organisations = directory.organisations_by_ids(organisation_ids)
    for org_id in organisation_ids:
        common = {
            "kind": CALL,
            "organisation_id": org_id,
            "ref_id": str(plan.public_id),
            "subject_id": str(plan.child.public_id),
            "due_at": due,
        }
        contact = directory.contact_function_between(plan.started_by_organisation_id, org_id)
        if contact is not None:
            notify.inbox_deliver(contact_function_id=contact.pk, **common)
            continue
        for code in receivers.sip_call_functions(organisations[org_id].org_type):
            notify.inbox_deliver(function_code=code, **common)


def call_close(plan: Plan, organisation_id: int, user_id: int | None) -> None:
    notify.inbox_close(
        kind=CALL, ref_id=str(plan.public_id), organisation_id=organisation_id, user_id=user_id
    )


def follow_up_deliver(plan: Plan) -> None:
    if not plan.coordinator_id or not plan.coordinator_organisation_id:
        return
    notify.inbox_deliver(
        kind=FOLLOW_UP,
        organisation_id=plan.coordinator_organisation_id,
        user_id=plan.coordinator_id,
        ref_id=str(plan.public_id),
        subject_id=str(plan.child.public_id),
        key=f"{plan.follow_up_on:%Y-%m-%d}",
        due_at=timezone.make_aware(
            datetime.datetime.combine(plan.follow_up_on, datetime.time(16, 0))
        ),
    )


def _plans(items) -> dict[str, Plan]:
    ids = {item.ref_id for item in items}
    return {
        str(p.public_id): p
        for p in Plan.objects.filter(public_id__in=ids).select_related(
            "child", "started_by_organisation"
        )
    }


def _resolve(actor: Actor, items, *, call: bool) -> dict[int, inbox.Shown | None]:
    plans = _plans(items)
    result: dict[int, inbox.Shown | None] = {}
    decided: dict[str, policy.Decision] = {}
    for item in items:
        plan = plans.get(item.ref_id)
        if plan is None:
            result[item.pk] = None
            continue
        if item.ref_id not in decided:
            decided[item.ref_id] = policy.decide(actor, Action.READ, plan)
        decision = decided[item.ref_id]
        if not decision.allowed:
            result[item.pk] = None
            continue
        url = reverse("plans:detail", args=[plan.public_id])
        if call:
            result[item.pk] = inbox.Shown(
                title=(
                    f"Kallelse till SIP för {plan.child.full_name} från "
                    f"{plan.started_by_organisation.name}"
                ),
                url=url,
                subject_id=str(plan.child.public_id),
                ground=decision.ground,
                action_url=reverse("plans:acknowledge", args=[plan.public_id]),
                action_label="Bekräfta kallelsen",
            )
        else:
            result[item.pk] = inbox.Shown(
                title=(
                    f"Uppföljning av SIP för {plan.child.full_name} {plan.follow_up_on:%Y-%m-%d}"
                    if plan.follow_up_on
                    else f"Uppföljning av SIP för {plan.child.full_name}"
                ),
                url=url,
                subject_id=str(plan.child.public_id),
                ground=decision.ground,
            )
    return result


def register() -> None:
    inbox.register(
        CALL,
        label="Kallelse till SIP att bekräfta",
        resolve=lambda actor, items: _resolve(actor, items, call=True),
    )
    inbox.register(
        FOLLOW_UP,
        label="Uppföljning av SIP",
        resolve=lambda actor, items: _resolve(actor, items, call=False),
    )
