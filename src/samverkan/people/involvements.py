"""An organisation's involvements (matters) with a child: opening one for a report of
concern, its context and protected need, moving it with a handover, ending it."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import grounds
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit.models import Action
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed
from samverkan.core.unique import get_or_create_once
from samverkan.directory import selectors as directory

from . import changes, contexts
from .models import (
    Child,
    Enrolment,
    Involvement,
    InvolvementContext,
)
from .writes import SCHOOL_TYPES, _audit_child


def _own_open_involvement(actor: Actor, involvement_public_id) -> Involvement:
    try:
        involvement = Involvement.objects.select_related("child").get(
            public_id=involvement_public_id,
            organisation_id=actor.organisation_id,
            ended_at__isnull=True,
        )
    except (Involvement.DoesNotExist, ValueError) as exc:
        raise NotFound(_("Ärendet finns inte eller är redan avslutat.")) from exc
    if not actor.has_perm(Permission.PEOPLE_REGISTER):
        raise PermissionDenied(_("Din funktion får inte ändra verksamhetens ärenden."))
    return involvement


@transaction.atomic
def involvement_end(*, actor: Actor, involvement_public_id, reason: str = "") -> Involvement:
    involvement = _own_open_involvement(actor, involvement_public_id)
    involvement.ended_at = timezone.now()
    if reason.strip():
        involvement.note = (involvement.note + "\n\nAvslutat: " + reason.strip()).strip()
    involvement.save(update_fields=["ended_at", "note", "updated_at"])
    changes.children_changed([involvement.child_id])
    ground = grounds.own_matter(str(involvement.public_id), actor.organisation_name)
    _audit_child(actor, Action.CHANGE, involvement.child, ground, resource=involvement, ended=True)
    return involvement


@transaction.atomic
def involvement_record_protected_need(
    *, actor: Actor, involvement_public_id, need: str
) -> Involvement:
    """Record why this organisation needs the address and school of a child with
    protected identity. Only functions with ``people.protected`` may do it."""
    involvement = _own_open_involvement(actor, involvement_public_id)
    if not actor.has_perm(Permission.PEOPLE_PROTECTED):
        raise PermissionDenied(
            _("Din funktion får inte ta del av uppgifter om barn med skyddade personuppgifter.")
        )
    need = need.strip()
    if len(need) < 10:
        raise ValidationFailed(_("Beskriv behovet med minst några ord."), field="need")
    involvement.protected_details_need = need
    involvement.save(update_fields=["protected_details_need", "updated_at"])
    ground = grounds.own_matter(str(involvement.public_id), actor.organisation_name)
    _audit_child(
        actor, Action.CHANGE, involvement.child, ground, resource=involvement, need_recorded=True
    )
    return involvement


@transaction.atomic
def involvement_change_context(
    *, actor: Actor, involvement_public_id, context: str, reason: str = ""
) -> Involvement:
    """The matter changes character, e.g. voluntary support becomes a report or an
    investigation. Consents given for the earlier character stop covering the matter
    (the consent app reads ``context`` and ``context_since`` at every decision)."""
    involvement = _own_open_involvement(actor, involvement_public_id)
    contexts.ensure_allowed(
        actor.organisation_type, context, message=_("Välj vad ärendet gäller nu.")
    )
    if context == involvement.context:
        raise ValidationFailed(_("Ärendet har redan den karaktären."), field="context")
    previous = involvement.context
    involvement.context = context
    involvement.context_since = timezone.now()
    if reason.strip():
        label = InvolvementContext(context).label
        involvement.note = (
            involvement.note + f"\n\nÄndrat till {label}: " + reason.strip()
        ).strip()
    involvement.save(update_fields=["context", "context_since", "note", "updated_at"])
    changes.children_changed([involvement.child_id])
    ground = grounds.own_matter(str(involvement.public_id), actor.organisation_name)
    _audit_child(
        actor,
        Action.CHANGE,
        involvement.child,
        ground,
        resource=involvement,
        context_from=previous,
        context_to=context,
    )
    return involvement


@transaction.atomic
def involvement_open_for_report(
    *,
    actor: Actor,
    child: Child,
    organisation_id: int,
    ground,
    unit_id: int | None = None,
    note: str = "",
) -> Involvement:
    """A report of concern reached ``organisation_id`` (social services): that
    organisation now has its own matter with the child, of the character "report".
    An open matter of another character (e.g. voluntary support) changes character, so
    consents given for voluntary support stop covering it (consent.rules). The actor is
    whoever made the report arrive; ``ground`` (e.g. the duty to report) is audited."""
    if unit_id is not None and not directory.unit_belongs_to(unit_id, organisation_id):
        raise ValidationFailed(_("Enheten hör inte till den mottagande organisationen."))
    contexts.ensure_allowed(
        directory.organisation_by_pk(organisation_id).org_type,
        InvolvementContext.REPORT,
        message=_("Anmälan kan inte tas emot här."),
    )
    now = timezone.now()
    # The constraint involvement_one_open_per_org is the truth: of concurrent reports
    # about the child, one opens the matter and the others find it (core.unique).
    involvement, created = get_or_create_once(
        Involvement,
        child=child,
        organisation_id=organisation_id,
        ended_at=None,
        defaults={
            "unit_id": unit_id,
            "context": InvolvementContext.REPORT,
            "context_since": now,
            "note": note.strip(),
            "started_at": now,
            "started_by_id": actor.user_id,
        },
    )
    if created:
        changes.children_changed([child.pk])
        _audit_child(
            actor, Action.CREATE, child, ground, resource=involvement, context=involvement.context
        )
    elif involvement.context not in {InvolvementContext.REPORT, InvolvementContext.INVESTIGATION}:
        previous = involvement.context
        involvement.context = InvolvementContext.REPORT
        involvement.context_since = now
        if note.strip():
            involvement.note = (involvement.note + "\n\n" + note.strip()).strip()
        involvement.save(update_fields=["context", "context_since", "note", "updated_at"])
        changes.children_changed([child.pk])
        _audit_child(
            actor,
            Action.CHANGE,
            child,
            ground,
            resource=involvement,
            context_from=previous,
            context_to=involvement.context,
        )
    return involvement


@transaction.atomic
def involvement_set_context_for_investigation(
    *, actor: Actor, child: Child, organisation_id: int, ground
) -> Involvement | None:
    """Social services opened an investigation after a report: its open matter takes
    the character "investigation"."""
    involvement = (
        Involvement.objects.select_for_update()
        .filter(child=child, organisation_id=organisation_id, ended_at__isnull=True)
        .first()
    )
    if involvement is None or involvement.context == InvolvementContext.INVESTIGATION:
        return involvement
    contexts.ensure_allowed(
        directory.organisation_by_pk(organisation_id).org_type,
        InvolvementContext.INVESTIGATION,
        message="Utredning kan inte inledas här.",
    )
    previous = involvement.context
    involvement.context = InvolvementContext.INVESTIGATION
    involvement.context_since = timezone.now()
    involvement.save(update_fields=["context", "context_since", "updated_at"])
    changes.children_changed([child.pk])
    _audit_child(
        actor,
        Action.CHANGE,
        child,
        ground,
        resource=involvement,
        context_from=previous,
        context_to=involvement.context,
    )
    return involvement


@transaction.atomic
def involvement_move(
    *,
    actor: Actor,
    child: Child,
    from_organisation_id: int,
    context: str,
    ground,
    note: str,
    start_date: datetime.date | None = None,
) -> Involvement:
    """A handover about the child was received (the handover app): the actor's
    organisation opens its own matter with the child (of character ``context``; "" keeps
    the sending matter's), a school or preschool also enrols the child (which ends the
    earlier placement), and the sending organisation's open matter ends with a note of
    where it went. ``ground`` (the handover's) is audited on each change."""
    sending = (
        Involvement.objects.select_for_update()
        .filter(child=child, organisation_id=from_organisation_id, ended_at__isnull=True)
        .first()
    )
    context = context or (sending.context if sending else "")
    contexts.ensure_allowed(
        actor.organisation_type, context, message=_("Ärendet kan inte tas emot här.")
    )
    now = timezone.now()
    involvement, created = get_or_create_once(
        Involvement,
        child=child,
        organisation_id=actor.organisation_id,
        ended_at=None,
        defaults={
            "context": context,
            "context_since": now,
            "note": note.strip(),
            "started_at": now,
            "started_by_id": actor.user_id,
        },
    )
    if created:
        _audit_child(actor, Action.CREATE, child, ground, resource=involvement, context=context)
    if actor.organisation_type in SCHOOL_TYPES:
        start = start_date or timezone.localdate()
        for other in Enrolment.objects.filter(child=child, end_date__isnull=True).exclude(
            organisation_id=actor.organisation_id
        ):
            other.end_date = max(other.start_date, start - datetime.timedelta(days=1))
            other.save(update_fields=["end_date", "updated_at"])
        if not Enrolment.objects.filter(
            child=child, organisation_id=actor.organisation_id, end_date__isnull=True
        ).exists():
            enrolment = Enrolment.objects.create(
                child=child, organisation_id=actor.organisation_id, start_date=start
            )
            _audit_child(actor, Action.CREATE, child, ground, resource=enrolment)
    if sending is not None:
        sending.ended_at = now
        sending.note = (sending.note + "\n\nAvslutat: " + note.strip()).strip()
        sending.save(update_fields=["ended_at", "note", "updated_at"])
        _audit_child(actor, Action.CHANGE, child, ground, resource=sending, ended=True)
    changes.children_changed([child.pk])
    return involvement
