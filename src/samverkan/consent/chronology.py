"""The child's consents in the shared chronology (``people.chronology``): those the
actor's organisation may read, through the disclosure pipeline
(``selectors.consents_for_child``), each with the ground it was shown on."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.people import chronology

from . import selectors


def events(actor, child) -> list[chronology.Event]:
    return [
        chronology.Event(
            at=cv.consent.created_at,
            kind="consent",
            kind_label=_("Samtycke"),
            organisation_name=cv.consent.registered_by_organisation.name,
            title=_("Samtycke %(id)s registrerat (%(status)s)")
            % {"id": cv.consent.short_id, "status": cv.status},
            ground_label=str(cv.decision.ground.label),
            url=reverse("consent:detail", args=[cv.consent.public_id]),
        )
        for cv in selectors.consents_for_child(actor, child)
    ]


def register() -> None:
    chronology.register(chronology.Source("consent", gettext_lazy("Samtycken"), events))
