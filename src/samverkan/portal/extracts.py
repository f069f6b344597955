"""Who has read about us (issue 17 item 5, decision 0200): the family reads the log
extracts the organisations' auditor functions have reviewed for secrecy (decision
0161), and may ask for one: the request goes to the auditor function (``granskare``)
of every organisation involved with the child, as an item in its inbox, which the
auditor answers by drafting and reviewing the extract in loggkontroll."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from samverkan.access.actor import Actor
from samverkan.audit import extracts as audit_extracts
from samverkan.audit import selectors as audit_selectors
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.concerns import family as concerns_family
from samverkan.notify import inbox
from samverkan.notify import services as notify
from samverkan.people import family as people_family
from samverkan.people import selectors as people

KIND = "portal.extract_requested"
AUDITOR = "granskare"


def rows_for(actor: Actor, public_id) -> tuple[people_family.FamilyChild, list]:
    """The reviewed rows, leaving out every organisation the family must not be told of;
    none for a child with protected identity (each row names a unit and a time)."""
    family_child = people_family.child_get(actor, public_id)
    if family_child.protected:
        return family_child, []
    return family_child, audit_extracts.reviewed_for_family(
        actor=actor,
        subject_id=str(family_child.public_id),
        leave_out=concerns_family.organisations_not_to_name(family_child.child),
    )


def extract_request(*, actor: Actor, public_id) -> int:
    """Ask every involved organisation's auditor function for an extract (once a day
    per organisation); returns how many were asked."""
    family_child = people_family.child_get(actor, public_id)
    organisations = {i.organisation_id for i in people.system_involvements(family_child.child)}
    asked = 0
    today = f"{timezone.localdate():%Y-%m-%d}"
    for organisation_id in sorted(organisations):
        item = notify.inbox_deliver(
            kind=KIND,
            organisation_id=organisation_id,
            function_code=AUDITOR,
            ref_id=str(family_child.public_id),
            subject_id=str(family_child.public_id),
            key=today,
        )
        asked += item is not None
    audit.event_record(
        actor=actor,
        action=Action.CREATE,
        resource_type=audit_extracts.RESOURCE,
        subject_id=str(family_child.public_id),
        details={"requested_from": len(organisations)},
    )
    return asked


def _resolve(actor: Actor, items) -> dict[int, inbox.Shown | None]:
    result: dict[int, inbox.Shown | None] = {}
    may = audit_selectors.may_audit(actor)
    labels = people.subject_labels([i.subject_id for i in items]) if may else {}
    for item in items:
        subject = labels.get(item.subject_id)
        if not may or subject is None or item.organisation_id != actor.organisation_id:
            result[item.pk] = None
            continue
        result[item.pk] = inbox.Shown(
            title=f"Familjen begär ett loggutdrag: {subject.label}",
            url=reverse("audit:guardian_extract"),
            subject_id=item.subject_id,
            ground=audit.LOG_CONTROL,
        )
    return result


def register() -> None:
    inbox.register(
        KIND, label=gettext_lazy("Begäran om loggutdrag från familjen"), resolve=_resolve
    )
