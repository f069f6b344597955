"""Consents in the inbox (notify.inbox): about to expire, expired, revoked, renewed, or no
longer covering after a matter changed character. Told to everyone in the organisations
that are parties to the consent (address ``o:<organisation>``), and e-mailed to the
person who registered it; shown only to a reader who may read the child now (through
the access policy: an organisation that lost its ground sees nothing), and worded for
the reader's own domain (``access.explain.for_viewer``): only the organisation whose
matter changed character is told so; nobody is told who revoked."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from samverkan.access import explain, policy
from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.notify import inbox, mail
from samverkan.notify import services as notify
from samverkan.people import selectors as people

from . import rules
from .models import Consent, EventKind

_KINDS = {
    EventKind.EXPIRY_REMINDER: (
        "consent.expiring",
        gettext_lazy("Samtycke som snart går ut"),
        gettext_lazy("går snart ut"),
    ),
    EventKind.EXPIRED: (
        "consent.expired",
        gettext_lazy("Samtycke som har gått ut"),
        gettext_lazy("har gått ut"),
    ),
    EventKind.REVOKED: (
        "consent.revoked",
        gettext_lazy("Samtycke som har återkallats"),
        gettext_lazy("har återkallats"),
    ),
    EventKind.RENEWED: (
        "consent.renewed",
        gettext_lazy("Samtycke som har förnyats"),
        gettext_lazy("har förnyats"),
    ),
    EventKind.CONTEXT_LAPSED: (
        "consent.lapsed",
        gettext_lazy("Samtycke som måste förnyas"),
        gettext_lazy("täcker inte längre och måste förnyas"),
    ),
}
_WORDS = {code: words for code, _, words in _KINDS.values()}
LAPSED = _KINDS[EventKind.CONTEXT_LAPSED][0]


def event_deliver(consent: Consent, kind: str) -> None:
    if kind not in _KINDS:
        return
    code = _KINDS[kind][0]
    due = None
    if kind == EventKind.EXPIRY_REMINDER:
        due = timezone.make_aware(
            datetime.datetime.combine(consent.valid_until, datetime.time(23, 59))
        )
    organisations = {consent.registered_by_organisation_id} | set(
        consent.party_links.values_list("organisation_id", flat=True)
    )
    for organisation_id in sorted(organisations):
        notify.inbox_deliver(
            kind=code,
            organisation_id=organisation_id,
            whole_organisation=True,
            ref_id=str(consent.public_id),
            subject_id=str(consent.child.public_id),
            key=f"{consent.valid_until:%Y-%m-%d}",
            due_at=due if organisation_id == consent.registered_by_organisation_id else None,
        )
    if kind == EventKind.RENEWED:
        # Renewed: what asked for its renewal is done with.
        for done in (EventKind.EXPIRY_REMINDER, EventKind.EXPIRED, EventKind.CONTEXT_LAPSED):
            notify.inbox_close(kind=_KINDS[done][0], ref_id=str(consent.public_id))
    if consent.registered_by_id and consent.registered_by.email:
        mail.notification_send(
            recipients=[consent.registered_by.email],
            path=reverse("notify:inbox"),
            kind_label=_KINDS[kind][1],
        )


def _changed_by(consent: Consent) -> set[int]:
    """The organisations whose matter with the child changed character."""
    return {
        i.organisation_id
        for i in people.system_involvements(consent.child)
        if i.ended_at is None and i.context in rules.REPORT_OR_INVESTIGATION
    }


# What a family member did in the portal (decision 0200), for the person who registered
# the consent. The revocation is told through the REVOKED event like any other.
_FAMILY = {
    "signed": (
        "consent.family_signed",
        gettext_lazy("Samtycke som familjen har skrivit under"),
        gettext_lazy("har fått en underskrift i e-tjänsten"),
    ),
    "narrowed": (
        "consent.narrowed",
        gettext_lazy("Samtycke som familjen har inskränkt"),
        gettext_lazy("har inskränkts av familjen"),
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
        if not decision or not policy.decide(actor, Action.READ, consent.child):
            result[item.pk] = None
            continue
        words = _WORDS[item.kind]
        if item.kind == LAPSED:
            words = explain.for_viewer(
                actor.organisation_id,
                detail=gettext("täcker inte längre: ärendet har ändrat karaktär"),
                holders=_changed_by(consent),
                neutral=words,
            )
        result[item.pk] = inbox.Shown(
            title=gettext("Samtycket för %(name)s %(what)s")
            % {"name": consent.child.full_name, "what": words},
            url=reverse("consent:detail", args=[consent.public_id]),
            subject_id=str(consent.child.public_id),
            ground=decision.ground,
        )
    return result


def register() -> None:
    for code, label, _ in [*_KINDS.values(), *_FAMILY.values()]:
        inbox.register(code, label=label, resolve=_resolve)
