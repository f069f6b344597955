"""Saving a plan's content: the whole form (``plan_save``) or a few fields through the
API (``plan_patch``), each a new version, refused when based on an older one."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import StaleWrite, ValidationFailed
from samverkan.directory import selectors as directory
from samverkan.knowledge import services as knowledge

from . import content as plan_content
from . import inbox as plan_inbox
from .models import (
    EffortStatus,
    Plan,
    PlanStatus,
)
from .writes import (
    _audit,
    _clean,
    _for_change,
    _locked,
    _new_version,
    _same_content,
    _text,
    latest_content,
)

TARGET_TYPE = "plans.plan"


@dataclass(frozen=True)
class EffortInput:
    title: str
    organisation_id: int
    responsible: str
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    status: str = EffortStatus.NOT_STARTED
    key: str = ""


class PlanIncomplete(ValidationFailed):
    """A save would leave the plan without something the law requires it to show
    (``content.REQUIRED``). ``missing`` holds every (field, message) pair."""

    def __init__(self, missing: list[tuple[str, str]]):
        self.missing = missing
        super().__init__(
            gettext("Planen är inte komplett. ") + " ".join(str(text) for _, text in missing),
            field=missing[0][0],
            code="incomplete",
        )


def _coordinator(user_id: int | None, participants: set[int]):
    """The coordinator's membership: staff of one of the participating organisations,
    in a function that may work with plans (the coordinator must be able to open the
    plan they coordinate; an auditor or administrator cannot)."""
    if user_id is None:
        return None
    for org_id in sorted(participants):
        for membership in directory.memberships_of_organisation(org_id):
            if (
                membership.user_id == user_id
                and membership.user.is_active
                and Permission.PEOPLE_VIEW in membership.function.permissions
            ):
                return membership
    raise ValidationFailed(
        gettext(
            "Samordnaren ska arbeta i en av de deltagande verksamheterna, i en funktion som "
            "arbetar med planer (inte till exempel granskare eller administratör)."
        ),
        field="coordinator",
    )


def _stale(plan: Plan, expected_version: int) -> None:
    if plan.version != expected_version:
        raise StaleWrite(
            gettext(
                "Någon annan har sparat planen (version %(version)s) sedan du öppnade "
                "version %(expected_version)s. Dina ändringar är inte sparade men finns "
                "kvar i formuläret: jämför med den nya versionen och spara igen."
            )
            % {"version": plan.version, "expected_version": expected_version},
            code="stale",
        )


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def inputs_from_content(data: dict) -> dict:
    """The latest version as the keyword arguments of ``plan_save`` (for PATCH)."""
    return {
        "needs": list(data.get("needs", [])),
        "long_term_goal": data.get("long_term_goal", ""),
        "short_term_goals": list(data.get("short_term_goals", [])),
        "efforts": [
            EffortInput(
                title=e["title"],
                organisation_id=e["organisation_id"],
                responsible=e["responsible"],
                starts_on=_date(e.get("starts_on", "")),
                ends_on=_date(e.get("ends_on", "")),
                status=e["status"],
                key=e["key"],
            )
            for e in data.get("efforts", [])
        ],
        "others_do": data.get("others_do", ""),
        "responsible_organisation_id": data.get("responsible_organisation_id"),
        "coordinator_user_id": data.get("coordinator_user_id"),
        "participants": data.get("participants", ""),
        "disagreements": data.get("disagreements", ""),
        "follow_up_on": _date(data.get("follow_up_on", "")),
        "child_words": data.get("child_words", ""),
    }


PATCHABLE = frozenset(inputs_from_content({}))


@transaction.atomic
def plan_save(
    *,
    actor: Actor,
    plan: Plan,
    expected_version: int,
    needs: list[str],
    long_term_goal: str,
    short_term_goals: list[str],
    efforts: list[EffortInput],
    others_do: str = "",
    responsible_organisation_id: int | None = None,
    coordinator_user_id: int | None = None,
    participants: str = "",
    disagreements: str = "",
    follow_up_on: datetime.date | None = None,
    child_words: str = "",
    factor_codes: list[str] | None = None,
    comment: str = "",
) -> Plan:
    """Save the whole plan as a new version. ``expected_version`` is the version the
    user opened; if somebody saved since, nothing is written and ``StaleWrite`` is
    raised. The plan must show everything ``content.REQUIRED`` names, else
    ``PlanIncomplete``. When nothing differs from the latest version no version is
    made: the plan comes back with its version number unchanged."""
    decision = _for_change(actor, plan)
    plan = _locked(plan)
    _stale(plan, expected_version)
    return _save(
        actor,
        plan,
        decision,
        needs=needs,
        long_term_goal=long_term_goal,
        short_term_goals=short_term_goals,
        efforts=efforts,
        others_do=others_do,
        responsible_organisation_id=responsible_organisation_id,
        coordinator_user_id=coordinator_user_id,
        participants=participants,
        disagreements=disagreements,
        follow_up_on=follow_up_on,
        child_words=child_words,
        factor_codes=factor_codes,
        comment=comment,
    )


@transaction.atomic
def plan_patch(
    *, actor: Actor, plan: Plan, expected_version: int, changes: dict, comment: str = ""
) -> Plan:
    """Change some parts of the plan (PATCH): what ``changes`` names replaces the same
    part of the latest version (a list, such as ``efforts``, as a whole); the rest is
    kept. The result must be a complete plan, exactly as for ``plan_save``."""
    unknown = set(changes) - PATCHABLE
    if unknown:
        raise ValidationFailed(
            gettext("Okänt fält: %(join)s.") % {"join": ", ".join(sorted(unknown))}
        )
    decision = _for_change(actor, plan)
    plan = _locked(plan)
    _stale(plan, expected_version)
    inputs = inputs_from_content(latest_content(plan))
    inputs.update(changes)
    return _save(actor, plan, decision, **inputs, comment=comment)


def _save(
    actor: Actor,
    plan: Plan,
    decision: policy.Decision,
    *,
    needs: list[str],
    long_term_goal: str,
    short_term_goals: list[str],
    efforts: list[EffortInput],
    others_do: str,
    responsible_organisation_id: int | None,
    coordinator_user_id: int | None,
    participants: str,
    disagreements: str,
    follow_up_on: datetime.date | None,
    child_words: str,
    factor_codes: list[str] | None = None,
    comment: str = "",
) -> Plan:
    """The version the inputs make, checked; ``plan`` is locked and not stale."""
    participants_ids = {p.organisation_id for p in plan.organisations.all()}
    organisations = directory.organisations_by_ids(participants_ids)
    if responsible_organisation_id is not None and (
        responsible_organisation_id not in participants_ids
    ):
        raise ValidationFailed(
            gettext("Huvudansvaret ska ligga på en av de deltagande verksamheterna."),
            field="responsible_organisation",
        )
    if (
        follow_up_on is not None
        and follow_up_on < timezone.localdate()
        and follow_up_on != plan.follow_up_on
    ):
        raise ValidationFailed(
            gettext("Uppföljningen kan inte ligga bakåt i tiden."), field="follow_up_on"
        )
    membership = _coordinator(coordinator_user_id, participants_ids)
    latest = latest_content(plan)
    previous = {e["key"]: e for e in latest.get("efforts", [])}
    effort_rows = []
    for e in efforts:
        if not _clean(e.title):
            continue
        label = gettext("Insatsens rubrik och ansvarig")
        _text(e.title, field="efforts", max_length=bounds.TEXT_LABEL, label=label)
        _text(e.responsible, field="efforts", max_length=bounds.TEXT_LABEL, label=label)
        if e.organisation_id not in participants_ids:
            raise ValidationFailed(
                gettext("Insatsen ”%(title)s” ska ha en deltagande verksamhet som ansvarig.")
                % {"title": e.title},
                field="efforts",
            )
        if not _clean(e.responsible):
            raise ValidationFailed(
                gettext("Ange namngiven ansvarig person eller funktion för ”%(title)s”.")
                % {"title": e.title},
                field="efforts",
            )
        if e.starts_on and e.ends_on and e.ends_on < e.starts_on:
            raise ValidationFailed(
                gettext("Tidsramen för ”%(title)s” slutar före start.") % {"title": e.title},
                field="efforts",
            )
        if e.status not in EffortStatus.values:
            raise ValidationFailed(gettext("Okänd status för en insats."), field="efforts")
        effort_rows.append(
            plan_content.effort(
                title=e.title,
                organisation_id=e.organisation_id,
                organisation_name=organisations[e.organisation_id].name,
                responsible=e.responsible,
                starts_on=e.starts_on,
                ends_on=e.ends_on,
                status=e.status,
                key=e.key if e.key in previous else "",
            )
        )
    data = plan_content.empty()
    data.update(
        {
            "needs": plan_content.lines(needs),
            "long_term_goal": _clean(long_term_goal),
            "short_term_goals": plan_content.lines(short_term_goals),
            "efforts": effort_rows,
            "others_do": _clean(others_do),
            "responsible_organisation_id": responsible_organisation_id,
            "responsible_organisation_name": organisations[responsible_organisation_id].name
            if responsible_organisation_id
            else "",
            "coordinator_user_id": coordinator_user_id,
            "coordinator_name": (
                f"{membership.user.get_full_name()}, {membership.function.name}, "
                f"{organisations[membership.organisation_id].name}"
            )
            if membership
            else "",
            "coordinator_organisation_id": membership.organisation_id if membership else None,
            "participants": _clean(participants),
            "disagreements": _clean(disagreements),
            "follow_up_on": follow_up_on.isoformat() if follow_up_on else "",
            "child_words": _clean(child_words),
        }
    )
    missing = plan_content.missing(data)
    if missing:
        raise PlanIncomplete(missing)
    if factor_codes is not None:
        knowledge.factor_tags_set(
            actor=actor,
            target_type=TARGET_TYPE,
            target_id=plan.public_id,
            child_id=plan.child.public_id,
            factor_codes=factor_codes,
        )
    if _same_content(data, latest):
        return plan  # nothing to save: no new version
    version = _new_version(plan, actor, data, comment)
    plan.long_term_goal = data["long_term_goal"]
    plan.coordinator_id = coordinator_user_id
    plan.coordinator_organisation_id = data["coordinator_organisation_id"]
    plan.follow_up_on = follow_up_on
    first_meeting = plan.status == PlanStatus.CALLED
    if first_meeting:
        plan.status = PlanStatus.ACTIVE
    plan.save()
    if first_meeting:
        plan_inbox.first_meeting_held(plan, actor.user_id)
    plan_inbox.efforts_deliver(
        plan,
        effort_rows,
        {p.organisation_id: p.unit_id for p in plan.organisations.all()},
        actor.organisation_id,
    )
    _audit(actor, Action.CHANGE, plan, decision.ground, version=version.number)
    return plan
