"""Telling the family that something waits for them in the portal (decision 0339).

A family member opts in on "Meddelanden" (``contact_set``): an e-mail address, a mobile
number, or both. When a feature app says an item is ready (``notify.family``: a consent
prepared for the family's signature, a SIP call, a follow-up due), ``item_ready`` picks
the family members who have opted in and would see the item in the portal — the same
family rules the portal's pages run, decided for each of them — and queues one notice
per channel in the outbox (same transaction, same throttle as staff SMS). Never to a
guardian of a child with protected identity (the portal shows such a guardian no
organisation and no plan), never about an item that names an organisation the
guardians must not be told of (a report marked "do not inform")."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.concerns import family as concerns_family
from samverkan.core import bounds
from samverkan.core.errors import ValidationFailed
from samverkan.notify import family as notify_family
from samverkan.notify import sms
from samverkan.people import eidas as people_eidas
from samverkan.people import selectors as people
from samverkan.people.policies import SELF, family_relation

from .models import FamilyAccount, FamilyContact
from .session import FUNCTION_NAME

EMAIL = "email"
SMS = "sms"


# The family member's choice ------------------------------------------------------------


def contact_of(account_id: int) -> FamilyContact | None:
    return FamilyContact.objects.filter(account_id=account_id).first()


def _email_normalise(raw: str) -> str:
    from django.core.exceptions import ValidationError
    from django.core.validators import EmailValidator
    from django.utils.translation import gettext as _

    value = (raw or "").strip()
    if not value:
        return ""
    message = _("Skriv en e-postadress, till exempel namn@exempel.se.")
    if len(value) > bounds.TEXT_EMAIL:
        raise ValidationFailed(message, field="email")
    try:
        EmailValidator()(value)
    except ValidationError as exc:
        raise ValidationFailed(message, field="email") from exc
    return value


@transaction.atomic
def contact_set(*, actor: Actor, email: str, sms_number: str) -> FamilyContact | None:
    """Set, change or remove (empty fields) where the family member is told. Audited:
    whether each is set, never the address or number."""
    email = _email_normalise(email)
    number = sms.number_normalise(sms_number)
    FamilyContact.objects.filter(account_id=actor.family_id).select_for_update().first()
    contact = None
    if email or number:
        contact, _created = FamilyContact.objects.update_or_create(
            account_id=actor.family_id, defaults={"email": email, "sms_number": number}
        )
    else:
        FamilyContact.objects.filter(account_id=actor.family_id).delete()
    audit.event_record(
        actor=actor,
        action=Action.CHANGE,
        resource_type="portal.familycontact",
        resource_id=str(actor.family_id),
        details={"email": bool(email), "sms": bool(number)},
    )
    return contact


def addresses(account_ids: set[int]) -> dict[int, tuple[str, str]]:
    """(e-mail, number) per portal account, read by the outbox worker when sending."""
    return {
        c.account_id: (c.email, c.sms_number)
        for c in FamilyContact.objects.filter(account_id__in=account_ids)
    }


# Who is told -----------------------------------------------------------------------------


def _actor(account: FamilyAccount) -> Actor:
    """The family member as the portal's rules see them (no session: nothing is read
    or shown, so nothing is audited here; the rules are only asked)."""
    return Actor(
        user_id=None,
        username=f"familj-{str(account.public_id)[:8]}",
        display_name=account.display_name,
        function_name=FUNCTION_NAME,
        assurance_sufficient=True,
        family_id=account.pk,
        family_personal_number=account.personal_number,
        family_guardian_ids=people_eidas.linked_guardian_ids(
            account.eidas_issuer, account.eidas_identifier
        ),
    )


def _candidates(child) -> list[FamilyAccount]:
    """Accounts that opted in and may be the child's family: the guardians recorded by
    any organisation (by number), the child themself, and foreign eIDs (decided below)."""
    numbers = {c.guardian.personal_number for c in people.system_custodies(child)}
    numbers.discard("")
    if child.personal_number:
        numbers.add(child.personal_number)
    return list(
        FamilyAccount.objects.filter(contact__isnull=False)
        .filter(Q(personal_number__in=numbers) | Q(personal_number=""))
        .select_related("contact")
        .order_by("pk")
    )


def _names_hidden(item, hidden: frozenset[int]) -> bool:
    """Whether a consent names an organisation the guardians must not be told of (plans
    are judged by their own family rule, which looks at every text)."""
    if not hidden:
        return False
    parties = getattr(item, "party_links", None)
    ids = {getattr(item, "registered_by_organisation_id", None)}
    if parties is not None:
        ids |= {p.organisation_id for p in parties.all()}
    return bool(ids & hidden)


def recipients(child, item) -> dict[int, list[str]]:
    """Portal account id -> the channels to use, for those who would see ``item``."""
    hidden = concerns_family.organisations_not_to_name(child)
    if _names_hidden(item, hidden):
        return {}
    chosen: dict[int, list[str]] = {}
    for account in _candidates(child):
        actor = _actor(account)
        relation = family_relation(actor, child)
        if relation is None or (child.protected_identity and relation != SELF):
            continue
        if not policy.decide(actor, Action.READ, item).allowed:
            continue
        contact = account.contact
        channels = [c for c, value in ((EMAIL, contact.email), (SMS, contact.sms_number)) if value]
        if channels:
            chosen[account.pk] = channels
    return chosen


def item_ready(*, kind: str, child, item) -> int:
    """Queue a notice for each family member who would see the item (registered with
    ``notify.family`` from the app's ready())."""
    chosen = recipients(child, item)
    return notify_family.queue(chosen, kind) if chosen else 0


def register() -> None:
    notify_family.register(item_ready)
    notify_family.register_addresses(addresses)
