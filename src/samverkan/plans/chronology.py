"""The child's SIPs in the shared chronology (``people.chronology``): only plans whose
content a ground lets the actor's organisation read now, through the disclosure pipeline
(``selectors.plans_for_child``), each with that ground."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.people import chronology

from . import selectors


def events(actor, child) -> list[chronology.Event]:
    return [
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
        for s in selectors.plans_for_child(actor, child)
        if s.visible
    ]


def register() -> None:
    chronology.register(chronology.Source("plan", gettext_lazy("Planer (SIP)"), events))
