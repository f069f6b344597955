"""The SIP's items in the inbox (notify.inbox): a call to acknowledge, sent to each
called organisation (its contact function for the caller, else the functions that take
calls there); the first meeting to hold, sent to the person who called (who coordinates
until the plan names a coordinator), due ``SIP_FIRST_MEETING_DAYS`` after the call and
closed when the first meeting is recorded (the plan is established) or the plan closes;
and a follow-up coming up, sent to the coordinator. What an item says is
derived when it is read, after the access policy has decided for the reader: without a
ground (a consent revoked) the item shows nothing."""

from __future__ import annotations

import datetime
import functools
from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.directory import selectors as directory
from samverkan.notify import inbox, mail, receivers
from samverkan.notify import services as notify

from . import calendar
from .models import Plan

CALL = "plans.call"
FOLLOW_UP = "plans.follow_up"
PASSED = "plans.passed"
EFFORT = "plans.effort"
FIRST_MEETING = "plans.first_meeting"
# What the family wrote in the portal (decision 0270), for the coordinator to take in.
FAMILY_WORDS = "plans.family_words"
FAMILY_ANSWER = "plans.family_answer"
# The family's answer and words for a follow-up meeting (decision 0336).
FAMILY_FOLLOW_UP = "plans.family_follow_up"


def call_deliver(plan: Plan, organisation_ids: list[int]) -> None:
    """Put the call in the inbox of each called organisation, with the clock for its
    acknowledgement."""
    due = timezone.now() + datetime.timedelta(days=settings.SAMVERKAN["SIP_ACK_DAYS"])
    organisations = directory.organisations_by_ids(organisation_ids)
    delivered = []
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
            delivered.append(notify.inbox_deliver(contact_function_id=contact.pk, **common))
            continue
        for code in receivers.sip_call_functions(organisations[org_id].org_type):
            delivered.append(notify.inbox_deliver(function_code=code, **common))
    if plan.meeting_at is not None:
        _invite([i for i in delivered if i is not None], plan, organisations)
    first_meeting_deliver(plan)


def first_meeting_deliver(plan: Plan) -> None:
    """The clock from the call to the first meeting ("utan dröjsmål"), for the person
    who called: escalates to their unit's manager when overdue (notify.clocks)."""
    notify.inbox_deliver(
        kind=FIRST_MEETING,
        organisation_id=plan.started_by_organisation_id,
        user_id=plan.started_by_id,
        ref_id=str(plan.public_id),
        subject_id=str(plan.child.public_id),
        due_at=plan.created_at
        + datetime.timedelta(days=settings.SAMVERKAN["SIP_FIRST_MEETING_DAYS"]),
        send_mail=False,  # the caller knows they called: the clock speaks when overdue
    )


def first_meeting_clocks_ensure() -> int:
    """Called plans made before this clock existed get it (once); run by the sweep."""
    from .models import PlanStatus

    called = Plan.objects.filter(status=PlanStatus.CALLED).select_related("child")
    count, last = 0, 0
    while chunk := list(called.filter(pk__gt=last).order_by("pk")[:500]):
        last = chunk[-1].pk
        present = notify.kinds_present([p.public_id for p in chunk], [FIRST_MEETING])
        for plan in chunk:
            if (FIRST_MEETING, str(plan.public_id)) not in present:
                first_meeting_deliver(plan)
                count += 1
    return count


def first_meeting_held(plan: Plan, user_id: int | None) -> None:
    """The first meeting is recorded (the plan's first version): the clock stops."""
    notify.inbox_close(kind=FIRST_MEETING, ref_id=str(plan.public_id), user_id=user_id)


def _invite(items, plan: Plan, organisations: dict, *, cancel: bool = False) -> None:
    """E-mail each person the call reaches a calendar invitation of their own
    (METHOD:REQUEST), or its cancellation."""
    names = [o.name for o in organisations.values()]
    organizer = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    mail.invitation_send(
        recipients=notify.holder_emails(items),
        ics_for=lambda address: calendar.invitation_request(
            plan,
            names,
            base_url=settings.SAMVERKAN_BASE_URL,
            attendee=address,
            organizer=organizer,
            cancel=cancel,
        ),
        path=reverse("plans:detail", args=[plan.public_id]),
        cancel=cancel,
    )


def meeting_cancel(plan: Plan) -> None:
    """The plan closed before its meeting: cancel the invitations sent."""
    if plan.meeting_at is None or plan.meeting_at <= timezone.now():
        return
    items = notify.items_about(CALL, str(plan.public_id))
    organisations = directory.organisations_by_ids({i.organisation_id for i in items})
    _invite(items, plan, organisations, cancel=True)


def passed_deliver(plan: Plan, organisation_id: int, unit_id: int) -> None:
    """The called organisation passed the call to one of its units: it reaches the
    unit's staff (the functions in notify/data/receivers.json, in that unit)."""
    for code in receivers.unit_functions():
        notify.inbox_deliver(
            kind=PASSED,
            organisation_id=organisation_id,
            function_code=code,
            unit_id=unit_id,
            ref_id=str(plan.public_id),
            subject_id=str(plan.child.public_id),
            key=str(unit_id),
        )


def _effort_addresses(plan: Plan, organisation_id: int, unit_id: int | None) -> list[dict]:
    """Where an effort an organisation is responsible for is told: its unit the call
    was passed to, else the contact function for the starter, else the functions that
    take calls there."""
    if unit_id:
        return [{"function_code": c, "unit_id": unit_id} for c in receivers.unit_functions()]
    contact = directory.contact_function_between(plan.started_by_organisation_id, organisation_id)
    if contact is not None:
        return [{"contact_function_id": contact.pk}]
    org = directory.organisations_by_ids([organisation_id])[organisation_id]
    return [{"function_code": c} for c in receivers.sip_call_functions(org.org_type)]


def efforts_deliver(
    plan: Plan, efforts: list[dict], units: dict[int, int | None], saved_by_organisation_id: int
) -> None:
    """Each effort in a saved version reaches the organisation responsible for it, once
    per effort (a new effort in a later version is told when it appears); not the
    organisation that wrote it."""
    for effort in efforts:
        org_id = effort.get("organisation_id")
        if not org_id or org_id == saved_by_organisation_id:
            continue
        for address in _effort_addresses(plan, org_id, units.get(org_id)):
            notify.inbox_deliver(
                kind=EFFORT,
                organisation_id=org_id,
                ref_id=str(plan.public_id),
                subject_id=str(plan.child.public_id),
                key=str(effort["key"])[:40],
                **address,
            )


def call_close(plan: Plan, organisation_id: int, user_id: int | None) -> None:
    notify.inbox_close(
        kind=CALL, ref_id=str(plan.public_id), organisation_id=organisation_id, user_id=user_id
    )


def plan_closed(plan: Plan, user_id: int | None) -> None:
    """A closed plan: its meeting is cancelled and nothing about it waits any more."""
    meeting_cancel(plan)
    for kind in (
        CALL,
        FIRST_MEETING,
        FOLLOW_UP,
        PASSED,
        EFFORT,
        FAMILY_WORDS,
        FAMILY_ANSWER,
        FAMILY_FOLLOW_UP,
    ):
        notify.inbox_close(kind=kind, ref_id=str(plan.public_id), user_id=user_id)


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


def family_deliver(plan: Plan, kind: str, *, key: str) -> None:
    """Tell the coordinator (before there is one, the person who started the plan)
    that the family wrote something or answered the call."""
    if plan.coordinator_id and plan.coordinator_organisation_id:
        user_id, organisation_id = plan.coordinator_id, plan.coordinator_organisation_id
    else:
        user_id, organisation_id = plan.started_by_id, plan.started_by_organisation_id
    notify.inbox_deliver(
        kind=kind,
        organisation_id=organisation_id,
        user_id=user_id,
        ref_id=str(plan.public_id),
        subject_id=str(plan.child.public_id),
        key=key,
    )


_FAMILY_TITLES = {
    FAMILY_WORDS: gettext_lazy("Familjen har skrivit till SIP för %(name)s i e-tjänsten"),
    FAMILY_ANSWER: gettext_lazy("Familjen har svarat på kallelsen till SIP för %(name)s"),
    FAMILY_FOLLOW_UP: gettext_lazy(
        "Familjen har svarat inför uppföljningsmötet i SIP för %(name)s"
    ),
}


def _plans(items) -> dict[str, Plan]:
    ids = {item.ref_id for item in items}
    return {
        str(p.public_id): p
        for p in Plan.objects.filter(public_id__in=ids).select_related(
            "child", "started_by_organisation"
        )
    }


def _effort_titles(plans: dict[str, Plan]) -> dict[tuple[str, str], str]:
    """(plan, effort key) -> the effort's title in the plan's latest version."""
    from .models import PlanVersion

    latest: dict[int, PlanVersion] = {}
    for version in PlanVersion.objects.filter(plan__in=list(plans.values())).order_by("number"):
        latest[version.plan_id] = version
    by_pk = {p.pk: str(p.public_id) for p in plans.values()}
    return {
        (by_pk[plan_pk], e.get("key", "")): e.get("title", "")
        for plan_pk, version in latest.items()
        for e in version.content.get("efforts", [])
    }


def _resolve(actor: Actor, items, *, call: bool) -> dict[int, inbox.Shown | None]:
    plans = _plans(items)
    efforts = _effort_titles(plans) if any(i.kind == EFFORT for i in items) else {}
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
        if item.kind in _FAMILY_TITLES:
            result[item.pk] = inbox.Shown(
                title=_FAMILY_TITLES[item.kind] % {"name": plan.child.full_name},
                url=f"{url}#family-heading",
                subject_id=str(plan.child.public_id),
                ground=decision.ground,
            )
        elif item.kind in (PASSED, EFFORT):
            title = (
                gettext("Kallelse till SIP för %(name)s skickad vidare till din enhet")
                % {"name": plan.child.full_name}
                if item.kind == PASSED
                else efforts.get((item.ref_id, item.key))
            )
            if title is None:
                result[item.pk] = None  # the effort is no longer in the plan
                continue
            if item.kind == EFFORT:
                title = gettext(
                    "Insats som din verksamhet ansvarar för: %(title)s (SIP för %(name)s)"
                ) % {"title": title, "name": plan.child.full_name}
            result[item.pk] = inbox.Shown(
                title=title, url=url, subject_id=str(plan.child.public_id), ground=decision.ground
            )
        elif call:
            result[item.pk] = inbox.Shown(
                title=gettext("Kallelse till SIP för %(name)s från %(organisation)s")
                % {"name": plan.child.full_name, "organisation": plan.started_by_organisation.name},
                url=url,
                subject_id=str(plan.child.public_id),
                ground=decision.ground,
                action_url=reverse("plans:acknowledge", args=[plan.public_id]),
                action_label=gettext("Bekräfta kallelsen"),
            )
        elif item.kind == FIRST_MEETING:
            result[item.pk] = inbox.Shown(
                title=(
                    f"Håll det första SIP-mötet för {plan.child.full_name} senast "
                    f"{timezone.localtime(item.due_at):%Y-%m-%d}"
                ),
                url=url,
                subject_id=str(plan.child.public_id),
                ground=decision.ground,
            )
        else:
            result[item.pk] = inbox.Shown(
                title=(
                    gettext("Uppföljning av SIP för %(name)s %(date)s")
                    % {"name": plan.child.full_name, "date": f"{plan.follow_up_on:%Y-%m-%d}"}
                    if plan.follow_up_on
                    else gettext("Uppföljning av SIP för %(name)s") % {"name": plan.child.full_name}
                ),
                url=url,
                subject_id=str(plan.child.public_id),
                ground=decision.ground,
            )
    return result


# Each kind, its label, and whether it is a call to acknowledge (the others only link).
KINDS = (
    (CALL, gettext_lazy("Kallelse till SIP att bekräfta"), True),
    (PASSED, gettext_lazy("Kallelse till SIP skickad vidare till din enhet"), False),
    (EFFORT, gettext_lazy("Insats som din verksamhet ansvarar för"), False),
    (FIRST_MEETING, gettext_lazy("Första SIP-mötet att hålla"), False),
    (FAMILY_WORDS, gettext_lazy("Familjen har skrivit till en SIP"), False),
    (FAMILY_ANSWER, gettext_lazy("Familjens svar på kallelsen till SIP"), False),
    (FAMILY_FOLLOW_UP, gettext_lazy("Familjens svar inför uppföljningsmötet i SIP"), False),
    (FOLLOW_UP, gettext_lazy("Uppföljning av SIP"), False),
)


def register() -> None:
    for kind, label, call in KINDS:
        inbox.register(kind, label=label, resolve=functools.partial(_resolve, call=call))
