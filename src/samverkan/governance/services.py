"""Writes to agreements and routines. Each function is one transaction with its audit
row; every saved version leaves an ``AgreementRevision`` with the whole text.

A stale write (somebody saved since the form was opened) is refused, a save that
changes nothing is refused, and a comment sent twice (the same form posted again) is
stored once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import NotFound, PermissionDenied, StaleWrite, ValidationFailed
from samverkan.meetings import deidentify

from . import policies
from .models import (
    Agreement,
    AgreementComment,
    AgreementKind,
    AgreementParty,
    AgreementRevision,
    AgreementStatus,
    CommentKind,
    CommentStatus,
)

# A decision may be recorded long after the fact (Gnesta's handbook is from 2009) or
# planned for the coming year; validity and review dates may lie years ahead.
DECIDED = bounds.DateWindow(past_days=30 * 366, future_days=366)
VALIDITY = bounds.DateWindow(past_days=30 * 366, future_days=10 * 366)
MAX_LINKS = 50

STALE = (
    "Någon annan har sparat en ändring sedan du öppnade sidan. Läs den nya versionen och "
    "gör om din ändring."
)


@dataclass
class AgreementData:
    """What a person fills in for an agreement; forms build it, services check it."""

    title: str
    kind: str
    status: str
    owner_organisation: object
    owner_function: object
    summary: str = ""
    body: str = ""
    decision_forum: object | None = None
    decided_on: datetime.date | None = None
    valid_until: datetime.date | None = None
    review_on: datetime.date | None = None
    parties: list = field(default_factory=list)
    forums: list = field(default_factory=list)
    knowledge_links: list[str] = field(default_factory=list)


_IDENTITY_NUMBERS = {deidentify.PERSONAL_NUMBER, deidentify.NUMBER}


def refuse_identity_numbers(text: str, *, field: str) -> None:
    """Steering documents are about how organisations work, never about a person: a
    text with a personnummer or samordningsnummer (or a date-shaped number that looks
    like one) is refused. Other names and dates are allowed: a routine names its
    contact people and its dates."""
    found = [f for f in deidentify.check(text) if f.kind in _IDENTITY_NUMBERS]
    if found:
        raise ValidationFailed(
            f"”{found[0].text}” ser ut som ett personnummer. Skriv aldrig uppgifter om "
            "enskilda personer i styrdokument.",
            field=field,
        )


def _clean(data: AgreementData) -> AgreementData:
    data.title = bounds.check_text(
        (data.title or "").strip(), max_length=bounds.TEXT_NAME, field="title"
    )
    if not data.title:
        raise ValidationFailed("Skriv en rubrik.", field="title")
    data.summary = bounds.check_text(
        (data.summary or "").strip(), max_length=bounds.TEXT_LINE, field="summary"
    )
    data.body = bounds.check_text(
        (data.body or "").replace("\r\n", "\n").strip(),
        max_length=bounds.TEXT_DOCUMENT,
        field="body",
    )
    for name in ("title", "summary", "body"):
        refuse_identity_numbers(getattr(data, name), field=name)
    if data.kind not in AgreementKind.values:
        raise ValidationFailed("Välj vilken sorts dokument det är.", field="kind")
    if data.status not in AgreementStatus.values:
        raise ValidationFailed("Välj en status.", field="status")
    if data.owner_organisation is None or data.owner_function is None:
        raise ValidationFailed("Ange dokumentägare: organisation och funktion.", field="owner")
    data.decided_on = bounds.check_date(data.decided_on, window=DECIDED, field="decided_on")
    data.valid_until = bounds.check_date(data.valid_until, window=VALIDITY, field="valid_until")
    data.review_on = bounds.check_date(data.review_on, window=VALIDITY, field="review_on")
    if data.decided_on and data.valid_until and data.valid_until < data.decided_on:
        raise ValidationFailed(
            "Giltig till kan inte ligga före beslutsdatumet.", field="valid_until"
        )
    if data.status == AgreementStatus.IN_FORCE and not data.decided_on:
        raise ValidationFailed(
            "Ett gällande dokument behöver ett beslutsdatum.", field="decided_on"
        )
    if not data.parties:
        raise ValidationFailed("Välj minst en part.", field="parties")
    if len(data.knowledge_links) > MAX_LINKS:
        raise ValidationFailed(f"Högst {MAX_LINKS} länkar till kunskapsstödet.", field="links")
    data.knowledge_links = sorted(set(data.knowledge_links))
    return data


def snapshot(agreement: Agreement) -> dict:
    """The facts and text of one version, as the history and the comparison show them."""
    return {
        "title": agreement.title,
        "kind": agreement.get_kind_display(),
        "status": agreement.get_status_display(),
        "summary": agreement.summary,
        "body": agreement.body,
        "decision_forum": agreement.decision_forum.name if agreement.decision_forum else "",
        "decided_on": agreement.decided_on.isoformat() if agreement.decided_on else "",
        "valid_until": agreement.valid_until.isoformat() if agreement.valid_until else "",
        "review_on": agreement.review_on.isoformat() if agreement.review_on else "",
        "owner": f"{agreement.owner_function.name}, {agreement.owner_organisation.name}",
        "parties": sorted(p.organisation.name for p in agreement.parties.all()),
        "forums": sorted(f.name for f in agreement.forums.all()),
        "knowledge_links": list(agreement.knowledge_links),
    }


def _author(actor: Actor | None) -> dict:
    if actor is None:
        return {"author_name": "Samverkan (inläsning)"}
    return {
        "author_user_id": actor.user_id,
        "author_name": actor.label,
        "author_organisation": actor.organisation_name,
    }


def _revision(agreement: Agreement, actor, *, changed: list[str], comment: str) -> None:
    AgreementRevision.objects.create(
        agreement=agreement,
        number=agreement.version,
        data=snapshot(agreement),
        changed_fields=changed,
        comment=bounds.check_text(comment.strip(), max_length=bounds.TEXT_LINE, field="comment"),
        created_at=timezone.now(),
        **_author(actor),
    )


def _audit(actor, action, agreement, *, ground_action=None, **details):
    """The change's audit row, with the ground the actor acts on (for a reader's
    comment: that their organisation is a party)."""
    decision = policy.decide(actor, ground_action or action, agreement) if actor else None
    audit.event_record(
        actor=actor,
        action=action,
        resource_type="governance.agreement",
        resource_id=str(agreement.public_id),
        ground=decision.ground if decision else None,
        details=details,
    )


def _apply(agreement: Agreement, data: AgreementData) -> None:
    for name in (
        "title",
        "kind",
        "status",
        "summary",
        "body",
        "decision_forum",
        "decided_on",
        "valid_until",
        "review_on",
        "owner_organisation",
        "owner_function",
        "knowledge_links",
    ):
        setattr(agreement, name, getattr(data, name))


def _set_links(agreement: Agreement, data: AgreementData) -> None:
    wanted = {o.pk for o in data.parties}
    AgreementParty.objects.filter(agreement=agreement).exclude(organisation_id__in=wanted).delete()
    have = set(
        AgreementParty.objects.filter(agreement=agreement).values_list("organisation_id", flat=True)
    )
    AgreementParty.objects.bulk_create(
        [AgreementParty(agreement=agreement, organisation_id=pk) for pk in wanted - have]
    )
    agreement.forums.set(data.forums)


def _title_taken(title: str, exclude_pk=None) -> bool:
    qs = Agreement.objects.filter(title__iexact=title)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


@transaction.atomic
def agreement_create(*, actor: Actor | None, data: AgreementData, comment: str = "") -> Agreement:
    """A new agreement or routine (the strategy group; ``actor=None`` is the demo
    loader). Its first version is saved at once."""
    if actor is not None and not policies.may_create(actor):
        raise PermissionDenied("Bara strategigruppen kan lägga upp nya styrdokument.")
    data = _clean(data)
    if _title_taken(data.title):
        raise ValidationFailed("Det finns redan ett dokument med den rubriken.", field="title")
    agreement = Agreement()
    _apply(agreement, data)
    try:
        with transaction.atomic():
            agreement.save()
    except IntegrityError as exc:  # the same form sent twice at once
        raise ValidationFailed(
            "Det finns redan ett dokument med den rubriken.", field="title"
        ) from exc
    _set_links(agreement, data)
    _revision(agreement, actor, changed=[], comment=comment or "Första versionen")
    _audit(actor, Action.CREATE, agreement, version=1)
    return agreement


def _locked(agreement_id) -> Agreement:
    try:
        return (
            Agreement.objects.select_for_update(of=("self",))
            .select_related("owner_function", "owner_organisation", "decision_forum")
            .get(public_id=agreement_id)
        )
    except (Agreement.DoesNotExist, ValueError) as exc:
        raise NotFound("Dokumentet finns inte.") from exc


def _require_edit(actor: Actor, agreement: Agreement) -> None:
    if not policies.may_edit(actor, agreement):
        if policy.decide(actor, Action.READ, agreement):
            raise PermissionDenied("Bara dokumentägaren och strategigruppen kan ändra dokumentet.")
        raise NotFound("Dokumentet finns inte.")


def _changed_fields(before: dict, after: dict) -> list[str]:
    return [name for name, value in after.items() if before.get(name) != value]


@transaction.atomic
def agreement_update(
    *,
    actor: Actor,
    agreement_id,
    data: AgreementData,
    expected_version: int,
    comment: str = "",
) -> Agreement:
    agreement = _locked(agreement_id)
    _require_edit(actor, agreement)
    if agreement.version != expected_version:
        raise StaleWrite(STALE)
    data = _clean(data)
    if _title_taken(data.title, exclude_pk=agreement.pk):
        raise ValidationFailed("Det finns redan ett dokument med den rubriken.", field="title")
    before = snapshot(agreement)
    _apply(agreement, data)
    _set_links(agreement, data)
    changed = _changed_fields(before, snapshot(agreement))
    if not changed:
        raise ValidationFailed("Inget har ändrats.")
    agreement.version += 1
    agreement.save()
    _revision(agreement, actor, changed=changed, comment=comment)
    _audit(actor, Action.CHANGE, agreement, fields=changed, version=agreement.version)
    return agreement


@transaction.atomic
def comment_add(
    *,
    actor: Actor,
    agreement_id,
    kind: str,
    text: str,
    proposed_body: str = "",
) -> AgreementComment:
    """A reader's comment, or a proposal for a new text of the whole body. Sending the
    same form twice makes one comment: the page's one-time key (core.idempotency)."""
    try:
        agreement = Agreement.objects.select_related("owner_function").get(public_id=agreement_id)
    except (Agreement.DoesNotExist, ValueError) as exc:
        raise NotFound("Dokumentet finns inte.") from exc
    if not policy.decide(actor, Action.READ, agreement):
        raise NotFound("Dokumentet finns inte.")
    if agreement.status == AgreementStatus.EXPIRED:
        raise ValidationFailed("Dokumentet har upphört och tar inte emot synpunkter.")
    if kind not in CommentKind.values:
        raise ValidationFailed("Välj kommentar eller ändringsförslag.", field="kind")
    text = bounds.check_text(text.strip(), max_length=bounds.TEXT_PARAGRAPH, field="text")
    if not text:
        raise ValidationFailed("Skriv din synpunkt eller motivering.", field="text")
    refuse_identity_numbers(text, field="text")
    proposed_body = proposed_body.replace("\r\n", "\n").strip()
    refuse_identity_numbers(proposed_body, field="proposed_body")
    if kind == CommentKind.PROPOSAL:
        proposed_body = bounds.check_text(
            proposed_body, max_length=bounds.TEXT_DOCUMENT, field="proposed_body"
        )
        if not proposed_body:
            raise ValidationFailed("Skriv den text du föreslår.", field="proposed_body")
        if proposed_body == agreement.body:
            raise ValidationFailed(
                "Den föreslagna texten är densamma som den gällande.", field="proposed_body"
            )
    else:
        proposed_body = ""
    comment = AgreementComment.objects.create(
        agreement=agreement,
        kind=kind,
        text=text,
        proposed_body=proposed_body,
        base_version=agreement.version,
        author_id=actor.user_id,
        author_name=actor.label,
        author_organisation_id=actor.organisation_id,
    )
    _audit(
        actor,
        Action.CREATE,
        agreement,
        ground_action=Action.READ,
        comment=str(comment.public_id),
        kind=kind,
    )
    return comment


@transaction.atomic
def comment_decide(
    *, actor: Actor, agreement_id, comment_id, accept: bool, note: str = ""
) -> AgreementComment:
    """The document owner (or the strategy group) accepts or rejects a comment or
    proposal. An accepted proposal's text becomes the next version of the body; a
    proposal written against an older version cannot be accepted as it stands."""
    try:
        comment = AgreementComment.objects.select_related("agreement").get(
            public_id=comment_id, agreement__public_id=agreement_id
        )
    except (AgreementComment.DoesNotExist, ValueError) as exc:
        raise NotFound("Synpunkten finns inte.") from exc
    agreement = _locked(comment.agreement.public_id)
    _require_edit(actor, agreement)
    comment = AgreementComment.objects.select_for_update().get(pk=comment.pk)
    if comment.status != CommentStatus.OPEN:
        raise ValidationFailed("Synpunkten är redan besvarad.")
    note = bounds.check_text(note.strip(), max_length=bounds.TEXT_PARAGRAPH, field="note")
    if not accept and not note:
        raise ValidationFailed("Skriv varför förslaget inte godtas.", field="note")
    if accept and comment.kind == CommentKind.PROPOSAL:
        if comment.base_version != agreement.version:
            raise StaleWrite(
                f"Förslaget skrevs mot version {comment.base_version}, men dokumentet är nu i "
                f"version {agreement.version}. Gör ändringen själv i den nya versionen, eller "
                "avslå förslaget med en förklaring."
            )
        agreement.body = comment.proposed_body
        agreement.version += 1
        agreement.save()
        _revision(
            agreement,
            actor,
            changed=["body"],
            comment=f"Ändringsförslag från {comment.author_name} godtaget"[: bounds.TEXT_LINE],
        )
        comment.resulting_version = agreement.version
    comment.status = CommentStatus.ACCEPTED if accept else CommentStatus.REJECTED
    comment.decided_at = timezone.now()
    comment.decided_by_name = actor.label
    comment.decision_note = note
    comment.save()
    _audit(
        actor,
        Action.CHANGE,
        agreement,
        comment=str(comment.public_id),
        decision=comment.status,
        version=agreement.version,
    )
    return comment
