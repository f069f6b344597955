"""What the writes of forums and meetings share: the audit row, the actor's and the
meeting's checks, the check that a text names nobody, and which organisations a
consent covers for an identified matter (``services`` lists the writes by flow)."""

from __future__ import annotations

from django.utils.translation import gettext

from samverkan.access import passing, policy
from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.core.errors import PermissionDenied, ValidationFailed
from samverkan.directory import selectors as directory
from samverkan.people import selectors as people

from . import deidentify
from .models import (
    Meeting,
)

PURPOSE = "samverkanstraff"


class IdentifyingText(ValidationFailed):
    """An anonymised text that identifies someone: ``findings`` lists every passage in
    every field (each with its ``field``); ``field`` is the first field concerned.
    ``warnings_only`` when nothing but the small-group warning stopped it (the author
    may confirm that nobody can be recognised and send it again)."""

    def __init__(self, findings: list[deidentify.Finding]):
        self.findings = findings
        self.warnings_only = all(f.severity == deidentify.WARNING for f in findings)
        super().__init__(
            deidentify.summary(findings),
            field=findings[0].field if findings else None,
            code="small_group" if self.warnings_only else "identifying",
        )

    def by_field(self) -> dict[str, list[deidentify.Finding]]:
        fields: dict[str, list[deidentify.Finding]] = {}
        for finding in self.findings:
            fields.setdefault(finding.field, []).append(finding)
        return fields


class ConsentMissing(PermissionDenied):
    """An identified item that a consent does not cover for every attending
    organisation; ``reasons`` names each organisation and why."""

    def __init__(self, reasons: list[str]):
        super().__init__(
            gettext("Ärendet kan inte tas upp med namn: ")
            + " ".join(str(reason) for reason in reasons)
            + gettext(" Ta upp det som en avidentifierad ärendekonsultation i stället."),
            field="child",
            code="consent_missing",
        )
        self.reasons = reasons


def _audit(actor, action, resource_type, resource, ground, *, subject_id="", **details):
    audit.event_record(
        actor=actor,
        action=action,
        resource_type=resource_type,
        resource_id=str(resource.public_id),
        subject_id=subject_id,
        ground=ground,
        details=details,
    )


def _require(actor: Actor, action: str, resource) -> policy.Decision:
    decision = policy.decide(actor, action, resource)
    if not decision:
        raise PermissionDenied(decision.reason)
    return decision


def _require_unlocked(meeting: Meeting) -> None:
    if meeting.is_locked:
        raise ValidationFailed(
            gettext("Protokollet är justerat och låst. Lägg till en rättelse i stället."),
            code="locked",
        )


def check_anonymised(actor: Actor, *texts: tuple[str, str], reviewed: bool = False) -> None:
    """Raise ``IdentifyingText`` with every identifying passage in every field (name,
    text). The names checked are the common Swedish names and those of the children
    and guardians the author may see; never names the author could not look up.
    A small-group warning alone passes when the author has ``reviewed`` the text."""
    first_names, surnames = people.names_visible_to(actor)
    lex = deidentify.lexicon(
        first_names=first_names, surnames=surnames, unit_names=directory.unit_names()
    )
    findings = deidentify.check_fields(texts, lex=lex)
    if findings and not (reviewed and all(f.severity == deidentify.WARNING for f in findings)):
        raise IdentifyingText(findings)


def attending_organisation_ids(meeting: Meeting) -> list[int]:
    """Who counts as attending: every organisation on the attendance list that is not
    recorded as absent."""
    return sorted(
        meeting.attendances.exclude(present=False).values_list("organisation_id", flat=True)
    )


def identified_coverage(actor: Actor, meeting: Meeting, child, category: str):
    """For an identified item: the decision per attending organisation (from the
    author's organisation, through ``access.passing``). Returns (allowed decisions,
    reasons for refusal)."""
    allowed, reasons = [], []
    names = directory.organisations_by_ids(attending_organisation_ids(meeting))
    ordered = [o for o, _ in sorted(names.items(), key=lambda kv: kv[1].name)]
    decisions = passing.decide_each(
        actor, child=child, to_organisation_ids=ordered, category=category, purpose=PURPOSE
    )
    for org_id, decision in decisions.items():
        if decision.allowed:
            allowed.append(decision)
        else:
            reasons.append(f"{names[org_id].name}: {decision.reason}")
    return allowed, reasons


def _require_own_matter(actor: Actor, child) -> None:
    """A case is raised by name only by an organisation with its own open matter about
    the child: what it brings is its own information."""
    if not any(
        i.organisation_id == actor.organisation_id and i.ended_at is None
        for i in people.system_involvements(child)
    ):
        raise ValidationFailed(
            gettext(
                "%(organisation_name)s har inget eget ärende om barnet och kan inte ta "
                "upp det med namn."
            )
            % {"organisation_name": actor.organisation_name},
            field="child",
        )
