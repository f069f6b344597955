"""The organisation's own disclosure decisions about a child in the shared chronology
(``people.chronology``): its own records, so shown only to the organisation that made
them, each read audited on its own matter."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.access import grounds as access_grounds
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.people import chronology

from . import catalogue
from .models import DisclosureDecision


def events(actor, child) -> list[chronology.Event]:
    if not actor.has_membership:
        return []
    decisions = list(
        DisclosureDecision.objects.filter(
            child=child, from_organisation_id=actor.organisation_id
        ).select_related("to_organisation")
    )
    if not decisions:
        return []
    ground = access_grounds.own_matter("", actor.organisation_name)
    audit.events_record(
        [
            {
                "actor": actor,
                "action": Action.READ,
                "resource_type": "legal.disclosuredecision",
                "resource_id": str(d.public_id),
                "subject_id": str(child.public_id),
                "ground": ground,
                "reason": "Kronologi",
            }
            for d in decisions
        ]
    )
    names = {g.code: g.name for g in catalogue.load().grounds}
    return [
        chronology.Event(
            at=d.decided_at,
            kind="decision",
            kind_label=_("Utlämnandeprövning"),
            organisation_name=actor.organisation_name,
            title=_("%(outcome)s till %(recipient)s")
            % {"outcome": d.get_outcome_display(), "recipient": d.to_organisation.name},
            ground_label=names.get(d.ground_code, d.ground_code),
        )
        for d in decisions
    ]


def register() -> None:
    chronology.register(chronology.Source("decision", gettext_lazy("Utlämnandeprövningar"), events))
