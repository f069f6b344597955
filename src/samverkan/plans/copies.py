"""Copies of a SIP for a handover packet when the child moves (decision 0348): which of
the child's SIPs the actor's organisation may attach (those it holds: its own
documentation), and a text copy of the latest version of one of them.

Both read through the access layer: the list through ``selectors.plans_for_child``
(the disclosure pipeline, one audit row per plan), the copy through
``selectors.plan_authorize`` as an export (decided and audited). Whether the copy may
then travel to the receiving organisation is the handover's decision (its ground and
the category below), made when it is sent and again at every read."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed

from . import content as plan_content
from . import policies, selectors

# What a SIP is, as a category of information (what a consent must cover for it to pass).
CATEGORY = policies.SHARING_CATEGORY


@dataclass(frozen=True)
class Copy:
    public_id: str
    title: str
    version: int
    category: str
    text: str


def _title(plan) -> str:
    # Stored in Swedish, like every text of a packet (decision 0180).
    with translation.override("sv"):
        return _("SIP %(id)s, version %(version)s (%(status)s)") % {
            "id": plan.short_id,
            "version": plan.version,
            "status": plan.get_status_display(),
        }


def attachable(actor: Actor, child) -> list[tuple[str, str]]:
    """The SIPs about ``child`` that the actor's organisation holds, as (public id,
    title) pairs for the packet form."""
    if not actor.has_membership:
        return []
    return [
        (str(s.plan.public_id), _title(s.plan))
        for s in selectors.plans_for_child(actor, child)
        if s.visible and s.plan.started_by_organisation_id == actor.organisation_id
    ]


def copy(actor: Actor, child, public_id) -> Copy:
    """A text copy of the latest version of a SIP the actor's organisation holds about
    ``child``; refused (at the field ``attached``) for any other plan."""
    refused = ValidationFailed(
        _("Bara en SIP som din verksamhet har upprättat för barnet kan bifogas."),
        field="attached",
    )
    try:
        plan = selectors._load(public_id)
    except NotFound:
        raise refused from None
    if plan.child_id != child.pk or plan.started_by_organisation_id != actor.organisation_id:
        raise refused
    try:
        selectors.plan_authorize(actor, plan, Action.EXPORT)
    except (NotFound, PermissionDenied):
        raise refused from None
    data = selectors._content(plan)
    with translation.override("sv"):
        parts = [
            f"{label}:\n{text}"
            for name, label in plan_content.FIELDS
            if (text := plan_content.field_text(data, name).strip())
        ]
    text = "\n\n".join(parts)
    if len(text) > bounds.TEXT_DOCUMENT:
        raise ValidationFailed(
            _("Planen är för lång för att bifogas. Skriv det viktigaste i rutan Insatser."),
            field="attached",
        )
    return Copy(str(plan.public_id), _title(plan), plan.version, CATEGORY, text)
