"""The child's SIPs in the shared chronology (``people.chronology``): only plans whose
content a ground lets the actor's organisation read now, through the disclosure pipeline
(``selectors.plans_for_child``), each with that ground.

Inside a plan whose content is shown, under the same decision and audited on their own
(one row per follow-up): the SIP meeting (``plan_meeting``) and each follow-up meeting
(``plan_meeting`` too); and each saved version of the plan (``plan_version``: its
number, who saved it and the comment they wrote, as the plan's own page lists them;
one audit row per version, decision 0347). A plan the actor only knows exists shows
none of them."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.people import chronology

from . import selectors
from .models import FollowUp, PlanVersion


def _day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def events(actor, child) -> list[chronology.Event]:
    shown = [s for s in selectors.plans_for_child(actor, child) if s.visible]
    found = [
        chronology.Event(
            at=s.plan.created_at,
            kind="plan",
            kind_label=_("SIP"),
            organisation_name=s.plan.started_by_organisation.name,
            title=_("Samordnad individuell plan (%(status)s)")
            % {"status": s.plan.get_status_display()},
            ground_label=str(s.ground_label),
            url=reverse("plans:detail", args=[s.plan.public_id]),
        )
        for s in shown
    ]
    by_plan = {s.plan.pk: s for s in shown}
    for s in shown:
        if s.plan.meeting_at:
            found.append(
                chronology.Event(
                    at=s.plan.meeting_at,
                    kind="plan_meeting",
                    kind_label=_("SIP-möte"),
                    organisation_name=s.plan.started_by_organisation.name,
                    title=_("SIP-möte"),
                    ground_label=str(s.ground_label),
                    url=reverse("plans:detail", args=[s.plan.public_id]),
                )
            )
    follow_ups = list(FollowUp.objects.filter(plan_id__in=by_plan))
    audit.events_record(
        [
            {
                "actor": actor,
                "action": Action.READ,
                "resource_type": "plans.followup",
                "resource_id": str(f.pk),
                "subject_id": str(child.public_id),
                "ground": by_plan[f.plan_id].ground,
                "reason": "Kronologi",
            }
            for f in follow_ups
        ]
    )
    found += _version_events(actor, child, by_plan)
    found += [
        chronology.Event(
            at=_day(f.held_on),
            kind="plan_meeting",
            kind_label=_("Uppföljning av SIP"),
            organisation_name=by_plan[f.plan_id].plan.started_by_organisation.name,
            title=_("Uppföljningsmöte"),
            ground_label=str(by_plan[f.plan_id].ground_label),
            url=reverse("plans:detail", args=[by_plan[f.plan_id].plan.public_id]),
        )
        for f in follow_ups
    ]
    return found


def _version_events(actor, child, by_plan) -> list[chronology.Event]:
    versions = list(
        PlanVersion.objects.filter(plan_id__in=by_plan)
        .only("pk", "plan_id", "number", "created_at", "author_organisation_name", "comment")
        .order_by("plan_id", "number")
    )
    audit.events_record(
        [
            {
                "actor": actor,
                "action": Action.READ,
                "resource_type": "plans.planversion",
                "resource_id": str(v.pk),
                "subject_id": str(child.public_id),
                "ground": by_plan[v.plan_id].ground,
                "reason": "Kronologi",
            }
            for v in versions
        ]
    )
    return [
        chronology.Event(
            at=v.created_at,
            kind="plan_version",
            kind_label=_("Version av SIP"),
            organisation_name=v.author_organisation_name,
            title=_("Version %(number)s av planen sparad") % {"number": v.number},
            ground_label=str(by_plan[v.plan_id].ground_label),
            url=reverse("plans:detail", args=[by_plan[v.plan_id].plan.public_id]),
            detail=v.comment,
        )
        for v in versions
    ]


def register() -> None:
    chronology.register(
        chronology.Source(
            "plan",
            gettext_lazy("Planer (SIP)"),
            events,
            more_kinds=(
                ("plan_meeting", gettext_lazy("Möten och uppföljningar i SIP")),
                ("plan_version", gettext_lazy("Versioner av SIP")),
            ),
        )
    )
