"""Consents in the inbox (notify.inbox): about to expire, expired, revoked, or no longer
covering after a matter changed character. Sent to the person who registered the
consent, in the organisation that holds it; shown only to a reader ``decide_consent``
allows (those who may know), and never saying who revoked."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.notify import inbox
from samverkan.notify import services as notify

from .models import Consent, EventKind

_KINDS = {
    EventKind.EXPIRY_REMINDER: ("consent.expiring", "Samtycke som snart går ut", "går snart ut"),
    EventKind.EXPIRED: ("consent.expired", "Samtycke som har gått ut", "har gått ut"),
    EventKind.REVOKED: ("consent.revoked", "Samtycke som har återkallats", "har återkallats"),
    EventKind.CONTEXT_LAPSED: (
        "consent.lapsed",
        "Samtycke som måste förnyas",
        "täcker inte längre och måste förnyas",
    ),
}
_WORDS = {code: words for code, _, words in _KINDS.values()}


def event_deliver(consent: Consent, kind: str) -> None:
    if kind not in _KINDS:
        return
    code = _KINDS[kind][0]
    due = None
    if kind == EventKind.EXPIRY_REMINDER:
        due = timezone.make_aware(
            datetime.datetime.combine(consent.valid_until, datetime.time(23, 59))
        )
    notify.inbox_deliver(
        kind=code,
        organisation_id=consent.registered_by_organisation_id,
        user_id=consent.registered_by_id,
        ref_id=str(consent.public_id),
        subject_id=str(consent.child.public_id),
        key=f"{consent.valid_until:%Y-%m-%d}",
        due_at=due,
    )


# What a family member did in the portal (decision 0200), for the person who registered
# the consent. The revocation is told through the REVOKED event like any other.
_FAMILY = {
    "signed": (
        "consent.family_signed",
        "Samtycke som familjen har skrivit under",
        "har fått en underskrift i e-tjänsten",
    ),
    "narrowed": (
        "consent.narrowed",
        "Samtycke som familjen har inskränkt",
        "har inskränkts av familjen",
    ),
}
_WORDS.update({code: words for code, _, words in _FAMILY.values()})


def family_deliver(consent: Consent, what: str) -> None:
    notify.inbox_deliver(
        kind=_FAMILY[what][0],
        organisation_id=consent.registered_by_organisation_id,
        user_id=consent.registered_by_id,
        ref_id=str(consent.public_id),
        subject_id=str(consent.child.public_id),
        key=f"{what}:{timezone.now():%Y%m%d%H%M%S%f}",
    )


def _resolve(actor: Actor, items) -> dict[int, inbox.Shown | None]:
    consents = {
        str(c.public_id): c
        for c in Consent.objects.filter(public_id__in={i.ref_id for i in items}).select_related(
            "child"
        )
    }
    result: dict[int, inbox.Shown | None] = {}
    for item in items:
        consent = consents.get(item.ref_id)
        decision = policy.decide(actor, Action.READ, consent) if consent else None
        if not decision:
            result[item.pk] = None
            continue
        result[item.pk] = inbox.Shown(
            title=f"Samtycket för {consent.child.full_name} {_WORDS[item.kind]}",
            url=reverse("consent:detail", args=[consent.public_id]),
            subject_id=str(consent.child.public_id),
            ground=decision.ground,
        )
    return result


def register() -> None:
    for code, label, _ in [*_KINDS.values(), *_FAMILY.values()]:
        inbox.register(code, label=label, resolve=_resolve)
