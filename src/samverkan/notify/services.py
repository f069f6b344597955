"""Writes of the inbox: deliver an item (once), close the items about a record when it is
dealt with, mark one done, choose how e-mail comes. E-mail carries the item's kind and a
link, never personal data, and is sent after the transaction commits (notify.mail)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core.errors import NotFound, ValidationFailed
from samverkan.directory import selectors as directory

from . import inbox, mail, sms
from .models import InboxItem, MailMode, MailPreference


def _holders(item: InboxItem) -> list:
    """The users an item reaches now."""
    return _holders_of([item])[item.address]


def _holders_of(items: list[InboxItem]) -> dict[str, list]:
    """The users each distinct address reaches now: persons in one query, each function
    and contact function once."""
    result: dict[str, list] = {}
    persons: dict[str, int] = {}
    for item in items:
        if item.address in result or item.address in persons:
            continue
        if item.user_id:
            persons[item.address] = item.user_id
        elif item.contact_function_id:
            holder = directory.contact_function_holder(item.contact_function_id)
            result[item.address] = [holder.user] if holder else []
        elif item.address.startswith("o:"):
            result[item.address] = []  # the whole organisation is told in the inbox only
        else:
            result[item.address] = [
                m.user
                for m in directory.function_holders(
                    item.organisation_id, item.function_code, item.unit_id
                )
            ]
    users = get_user_model().objects.in_bulk(set(persons.values()))
    for address, user_id in persons.items():
        result[address] = [users[user_id]] if user_id in users else []
    return result


def _modes(user_ids: list[int]) -> dict[int, str]:
    return dict(MailPreference.objects.filter(user_id__in=user_ids).values_list("user_id", "mode"))


class MailBatch:
    """Collects the e-mail a run owes (items delivered or reminded), so that each person
    gets one message per run however many items reached them: ``add(items)`` as items
    come, ``send()`` at the end (after commit). Only people who want e-mail at once."""

    def __init__(self):
        self.per_email: dict[str, list] = {}
        # Whoever an urgent item reached (user id -> its kind), for an SMS (notify.sms).
        self.sms: dict[int, str] = {}

    def add(self, items: list[InboxItem]) -> None:
        if not items:
            return
        counts: dict[str, int] = {}
        kinds: dict[str, set[str]] = {}
        for item in items:
            counts[item.address] = counts.get(item.address, 0) + 1
            kinds.setdefault(item.address, set()).add(item.kind)
        holders = _holders_of(items)
        modes = _modes([u.pk for users in holders.values() for u in users])
        for item in items:
            if sms.urgent(item):
                for user in holders[item.address]:
                    self.sms.setdefault(user.pk, item.kind)
        for address, users in holders.items():
            for user in users:
                if user.email and modes.get(user.pk, MailMode.IMMEDIATE) == MailMode.IMMEDIATE:
                    entry = self.per_email.setdefault(user.email, [0, set()])
                    entry[0] += counts[address]
                    entry[1] |= kinds[address]

    def send(self) -> int:
        """Send after the current transaction commits. Returns how many messages."""
        path = reverse("notify:inbox")
        for email, (count, kind_codes) in self.per_email.items():
            label = inbox.label(next(iter(kind_codes))) if len(kind_codes) == 1 else ""
            transaction.on_commit(
                lambda email=email, count=count, label=label: mail.notification_send_now(
                    recipients=[email], path=path, kind_label=label, count=count
                )
            )
        sent, self.per_email = len(self.per_email), {}
        # Queued in the current transaction: rolled back with the change that caused it.
        sms.queue(self.sms)
        self.sms = {}
        return sent


def mail_items(items: list[InboxItem]) -> int:
    """E-mail, after commit, whoever the items reach now (see ``MailBatch``)."""
    batch = MailBatch()
    batch.add(items)
    return batch.send()


def holder_emails(items: list[InboxItem]) -> list[str]:
    """The e-mail addresses of whoever the items reach now, except those who chose no
    e-mail (for calendar invitations, which digest readers want too)."""
    users = {u.pk: u for found in _holders_of(items).values() for u in found}
    modes = _modes(list(users))
    return sorted(u.email for pk, u in users.items() if u.email and modes.get(pk) != MailMode.NONE)


def items_about(kind: str, ref_id: str) -> list[InboxItem]:
    return list(InboxItem.objects.filter(kind=kind, ref_id=str(ref_id), escalation_of=None))


def inbox_deliver(
    *,
    kind: str,
    organisation_id: int,
    ref_id: str,
    subject_id: str = "",
    user_id: int | None = None,
    function_code: str = "",
    unit_id: int | None = None,
    contact_function_id: int | None = None,
    key: str = "",
    due_at: datetime.datetime | None = None,
    escalation_of: InboxItem | None = None,
    send_mail: bool = True,
    whole_organisation: bool = False,
) -> InboxItem | None:
    """Put an item in one inbox, once (the same kind, record, key and address is one
    item however often it is delivered). Addressed to a person (``user_id``), a contact
    function, or a function of the organisation (``function_code``, optionally in a
    unit). Returns the new item, or None if it was delivered before. With ``send_mail``
    off the caller e-mails a batch itself (``mail_items``), so that one change that
    puts several items in one inbox sends one message."""
    if user_id:
        address = inbox.person(user_id, organisation_id)
    elif contact_function_id:
        address = inbox.contact_function(contact_function_id)
    elif function_code:
        address = inbox.function(organisation_id, function_code, unit_id)
    elif whole_organisation:
        address = inbox.organisation(organisation_id)
    else:
        raise ValueError("An inbox item needs an address")
    try:
        with transaction.atomic():
            item = InboxItem.objects.create(
                kind=kind,
                address=address,
                organisation_id=organisation_id,
                user_id=user_id,
                unit_id=unit_id if not user_id else None,
                function_code=function_code if not user_id else "",
                contact_function_id=contact_function_id,
                ref_id=str(ref_id),
                subject_id=str(subject_id or ""),
                key=key,
                due_at=due_at,
                escalation_of=escalation_of,
            )
    except IntegrityError:
        return None  # delivered before (or by a concurrent task)
    if send_mail:
        mail_items([item])
    return item


def inbox_close(
    *,
    kind: str,
    ref_id: str,
    organisation_id: int | None = None,
    user_id: int | None = None,
) -> int:
    """Mark done the open items of one kind about one record (e.g. the call to one
    organisation once it acknowledged), with their escalations. Returns how many."""
    items = InboxItem.objects.filter(kind=kind, ref_id=str(ref_id), done_at__isnull=True)
    if organisation_id is not None:
        items = items.filter(organisation_id=organisation_id)
    now = timezone.now()
    ids = list(items.values_list("pk", flat=True))
    return InboxItem.objects.filter(pk__in=ids).update(
        done_at=now, done_by_id=user_id
    ) + InboxItem.objects.filter(escalation_of_id__in=ids, done_at__isnull=True).update(
        done_at=now, done_by_id=user_id
    )


@transaction.atomic
def inbox_mark_done(*, actor: Actor, public_id) -> InboxItem:
    """The reader marks an item in their inbox done (for everyone it reached)."""
    addresses = inbox.addresses_of(actor, directory.contact_function_ids_held(actor.membership_id))
    try:
        item = InboxItem.objects.select_for_update().get(public_id=public_id, address__in=addresses)
    except (InboxItem.DoesNotExist, ValueError, ValidationFailed) as exc:
        raise NotFound("Händelsen finns inte i din inkorg.") from exc
    shown = inbox.resolve(actor, [item]).get(item.pk)
    if shown is None:
        raise NotFound("Händelsen finns inte i din inkorg.")
    if item.done_at is None:
        item.done_at = timezone.now()
        item.done_by_id = actor.user_id
        item.save(update_fields=["done_at", "done_by", "updated_at"])
        InboxItem.objects.filter(escalation_of=item, done_at__isnull=True).update(
            done_at=item.done_at, done_by_id=actor.user_id
        )
        audit.event_record(
            actor=actor,
            action=Action.CHANGE,
            resource_type="notify.inboxitem",
            resource_id=str(item.public_id),
            subject_id=shown.subject_id,
            ground=shown.ground,
            details={"done": True, "kind": item.kind},
        )
    return item


@transaction.atomic
def mail_preference_set(*, actor: Actor, mode: str) -> MailPreference:
    if mode not in MailMode.values:
        raise ValidationFailed("Välj hur du vill få e-post.", field="mode")
    preference, _ = MailPreference.objects.update_or_create(
        user_id=actor.user_id, defaults={"mode": mode}
    )
    audit.event_record(
        actor=actor,
        action=Action.CHANGE,
        resource_type="notify.mailpreference",
        resource_id=str(actor.user_id),
        details={"mode": mode},
    )
    return preference


@transaction.atomic
def sms_number_set(*, actor: Actor, number: str) -> MailPreference:
    """The person opts in to SMS about urgent items with a mobile number, or out with an
    empty one. The number is staff's own contact detail; the audit row does not hold it."""
    normalised = sms.number_normalise(number)
    preference, _ = MailPreference.objects.update_or_create(
        user_id=actor.user_id, defaults={"sms_number": normalised}
    )
    audit.event_record(
        actor=actor,
        action=Action.CHANGE,
        resource_type="notify.mailpreference",
        resource_id=str(actor.user_id),
        details={"sms": bool(normalised)},
    )
    return preference


def sms_number(user_id: int) -> str:
    return (
        MailPreference.objects.filter(user_id=user_id).values_list("sms_number", flat=True).first()
        or ""
    )


def mail_preference(user_id: int) -> str:
    return _modes([user_id]).get(user_id, MailMode.IMMEDIATE)


def digest_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The daily digest, from ``DIGEST_HOUR`` local time: to each user who chose it, one
    message saying how many open items reached them since the last digest (re-checked
    for each of their roles, as the inbox would show them). Once a day per user."""
    from django.conf import settings

    from . import selectors

    now = now or timezone.now()
    local = timezone.localtime(now)
    counts = {"digests": 0}
    if local.hour < settings.SAMVERKAN["DIGEST_HOUR"]:
        return counts
    start_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    due = MailPreference.objects.filter(mode=MailMode.DIGEST).exclude(
        last_digest_at__gte=start_of_day
    )
    for preference in due.select_related("user"):
        since = preference.last_digest_at or now - datetime.timedelta(days=1)
        total = 0
        for membership in directory.active_memberships(preference.user_id):
            actor = directory.actor_from_membership(membership)
            total += selectors.open_count(actor, since=since)
        claimed = MailPreference.objects.filter(pk=preference.pk).exclude(
            last_digest_at__gte=start_of_day
        )
        if not claimed.update(last_digest_at=now):
            continue  # another worker sent it
        if total and preference.user.email:
            mail.notification_send_now(
                recipients=[preference.user.email],
                path=reverse("notify:inbox"),
                count=total,
            )
            counts["digests"] += 1
    return counts


def meeting_invite(*, items: list[InboxItem], meeting, path: str, cancel: bool = False) -> None:
    """E-mail everyone the items reach now (except those who chose no e-mail) a
    calendar invitation of their own to ``meeting`` (a ``notify.calendar.Meeting``), or
    its cancellation, after commit."""
    from . import calendar

    mail.invitation_send(
        recipients=holder_emails(items),
        ics_for=lambda address: calendar.invitation(meeting, attendee=address, cancel=cancel),
        path=path,
        cancel=cancel,
    )


def inbox_move_due(*, kind: str, ref_id: str, due_at: datetime.datetime) -> int:
    """A deadline moved (an extension with a recorded reason): the open items about the
    record get the new due time and may be reminded again (an escalation stays once)."""
    return InboxItem.objects.filter(
        kind=kind, ref_id=str(ref_id), done_at__isnull=True, escalation_of=None
    ).update(due_at=due_at, reminded_at=None)


def kinds_present(ref_ids, kinds) -> set[tuple[str, str]]:
    """Which (kind, record) pairs already have an item, open or done."""
    return set(
        InboxItem.objects.filter(
            ref_id__in=[str(r) for r in ref_ids], kind__in=list(kinds), escalation_of=None
        ).values_list("kind", "ref_id")
    )


def items_remove(ref_ids: list[str]) -> int:
    """Remove every item about the records (their retention time is over)."""
    items = InboxItem.objects.filter(ref_id__in=[str(r) for r in ref_ids])
    InboxItem.objects.filter(escalation_of__in=items).delete()
    return items.delete()[0]


def function_emails(pairs: list[tuple[int, str]]) -> list[str]:
    """The e-mail addresses of whoever holds each (organisation, function code) now,
    except those who chose no e-mail (for calendar invitations)."""
    users = {
        m.user.pk: m.user
        for org_id, code in pairs
        for m in directory.function_holders(org_id, code)
    }
    modes = _modes(list(users))
    return sorted(u.email for pk, u in users.items() if u.email and modes.get(pk) != MailMode.NONE)
