"""Named items about the child on collaboration meetings in the shared chronology
(``people.chronology``). Two decisions, each through the disclosure pipeline and
audited: the meeting (the actor's organisation takes part in the forum) and then the
item (an item passes from its author's organisation only on a sharing ground asked now,
``policies.decide_item``, e.g. a consent for the purpose "samverkansträff"). The title
names the forum, never the item's text. Anonymised items are not about a child and
never appear."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.access import pipeline
from samverkan.audit.models import Action
from samverkan.people import chronology

from .models import AgendaItem, ItemKind


def events(actor, child) -> list[chronology.Event]:
    items = list(
        AgendaItem.objects.filter(child=child, kind=ItemKind.IDENTIFIED).select_related(
            "meeting__forum", "author_organisation", "child"
        )
    )
    if not items or not actor.has_membership:
        return []
    subject = str(child.public_id)
    meetings = {item.meeting_id: item.meeting for item in items}
    open_meetings = {
        r.resource.pk
        for r in pipeline.disclose(
            actor,
            Action.READ,
            list(meetings.values()),
            subject=lambda _m: subject,
            reason="Kronologi",
        )
        if r.shown
    }
    results = pipeline.disclose(
        actor,
        Action.READ,
        [i for i in items if i.meeting_id in open_meetings],
        subject=lambda _i: subject,
        reason="Kronologi",
    )
    return [
        chronology.Event(
            at=r.resource.meeting.starts_at,
            kind="forum_item",
            kind_label=_("Samverkansmöte"),
            organisation_name=r.resource.author_organisation.name,
            title=_("Barnet togs upp med namn på %(forum)s")
            % {"forum": r.resource.meeting.forum.name},
            ground_label=str(r.ground.label),
            url=reverse("meetings:meeting", args=[r.resource.meeting.public_id]),
        )
        for r in results
        if r.shown
    ]


def register() -> None:
    chronology.register(chronology.Source("forum_item", gettext_lazy("Samverkansmöten"), events))
