"""Agenda items: adding one (anonymised, or an identified matter the consent covers) and
recording its decision."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from samverkan.access import passing, policy
from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.consent import sharing
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed

from .models import (
    AgendaItem,
    ItemKind,
    Meeting,
    MeetingStatus,
)
from .writes import (
    PURPOSE,
    ConsentMissing,
    _audit,
    _require,
    _require_own_matter,
    _require_unlocked,
    check_anonymised,
    identified_coverage,
)

CATEGORIES = {
    "skolsituation": gettext_lazy("Skolsituation och närvaro"),
    "halsa": gettext_lazy("Hälsa"),
    "social_situation": gettext_lazy("Social situation och familj"),
    "insatser": "Insatser",
}


@transaction.atomic
def item_add(
    *,
    actor: Actor,
    meeting: Meeting,
    kind: str,
    title: str,
    text: str = "",
    child=None,
    category: str = "",
    reviewed: bool = False,
) -> AgendaItem:
    """Put an item on the agenda. General questions and anonymised consultations must
    not identify anyone (checked before saving); an identified case needs a consent
    that covers every attending organisation for the purpose samverkansträff."""
    decision = policy.decide(actor, Action.CREATE, meeting)
    if not decision:
        raise NotFound(gettext("Mötet finns inte eller så har du inte behörighet."))
    _require_unlocked(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationFailed(gettext("Mötet är inställt."))
    if kind not in ItemKind.values:
        raise ValidationFailed(gettext("Välj vilken sorts punkt det är."), field="kind")
    if not title.strip():
        raise ValidationFailed(gettext("Skriv en rubrik."), field="title")
    subject_id = ""
    consent_reference = ""
    if kind == ItemKind.IDENTIFIED:
        if child is None:
            raise ValidationFailed(gettext("Välj barnet ärendet gäller."), field="child")
        if category not in CATEGORIES:
            raise ValidationFailed(
                gettext("Välj vilket slags uppgifter som tas upp."), field="category"
            )
        own = policy.decide(actor, Action.READ, child)
        if not own:
            raise NotFound(gettext("Barnet finns inte eller så har du inte behörighet."))
        _require_own_matter(actor, child)
        allowed, reasons = identified_coverage(actor, meeting, child, category)
        if reasons:
            raise ConsentMissing(reasons)
        consents = sorted({d.ground.reference for d in allowed if d.ground.code == sharing.CONSENT})
        consent_reference = ",".join(consents)
        subject_id = str(child.public_id)
        ground = allowed[0].ground if allowed else own.ground
    else:
        child, category = None, ""
        check_anonymised(actor, ("title", title), ("text", text), reviewed=reviewed)
        ground = decision.ground
    item = AgendaItem.objects.create(
        meeting=meeting,
        kind=kind,
        title=title.strip(),
        text=text.strip(),
        author_organisation_id=actor.organisation_id,
        author_name=actor.label,
        child=child,
        category=category,
        consent_reference=consent_reference,
    )
    _audit(
        actor,
        Action.CREATE,
        "meetings.agendaitem",
        item,
        ground,
        subject_id=subject_id,
        meeting=str(meeting.public_id),
        kind=kind,
        consents=consent_reference,
    )
    return item


@transaction.atomic
def item_decide(*, actor: Actor, item: AgendaItem, decision: str) -> AgendaItem:
    """Record what the meeting decided on an item (part of the minutes)."""
    allowed = _require(actor, Action.CHANGE, item.meeting)
    _require_unlocked(item.meeting)
    if item.kind == ItemKind.IDENTIFIED:
        # Only while the item may be shown to the convener's organisation.
        shown = passing.decide(
            viewer_organisation_id=actor.organisation_id,
            child=item.child,
            from_organisation_id=item.author_organisation_id,
            to_organisation_id=actor.organisation_id,
            category=item.category,
            purpose=PURPOSE,
        )
        if not shown:
            raise PermissionDenied(shown.reason)
        allowed = shown
    else:
        check_anonymised(actor, ("decision", decision))
    item.decision = decision.strip()
    item.save(update_fields=["decision", "updated_at"])
    _audit(
        actor,
        Action.CHANGE,
        "meetings.agendaitem",
        item,
        allowed.ground,
        subject_id=str(item.child.public_id) if item.child_id else "",
    )
    return item
