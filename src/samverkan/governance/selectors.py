"""Reads of agreements and routines, narrowed by the policy (policies.py).

Agreements are not personal data, so an ordinary read writes no audit row; a print
(the PDF) does, as every print does.
"""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from samverkan.access import pipeline, policy
from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core.errors import NotFound
from samverkan.knowledge import selectors as knowledge

from . import body, policies
from .models import (
    Agreement,
    AgreementComment,
    AgreementKind,
    AgreementParty,
    AgreementRevision,
    AgreementStatus,
    CommentStatus,
)

# A review date this close (or past) shows as a reminder on the owner's start page.
REMIND_DAYS = 30
LINK_KINDS = ("concept", "method", "actor")

FIELD_LABELS = {
    "title": "Rubrik",
    "kind": "Sort",
    "status": "Status",
    "summary": "Sammanfattning",
    "body": "Text",
    "decision_forum": "Beslutsorgan",
    "decided_on": "Beslutad",
    "valid_until": "Giltig till",
    "review_on": "Ses över senast",
    "owner": "Dokumentägare",
    "parties": "Parter",
    "forums": "Forum",
    "knowledge_links": "Kunskapsstöd",
}


def _qs() -> QuerySet[Agreement]:
    return Agreement.objects.select_related(
        "owner_organisation", "owner_function", "decision_forum"
    ).prefetch_related(
        Prefetch("parties", queryset=AgreementParty.objects.select_related("organisation")),
        "forums",
    )


def effective_status(agreement: Agreement, today: datetime.date | None = None) -> str:
    """The status a reader should see: an agreement in force whose validity has run out
    has expired, whatever its recorded status says."""
    today = today or timezone.localdate()
    if (
        agreement.status in (AgreementStatus.IN_FORCE, AgreementStatus.UNDER_REVISION)
        and agreement.valid_until
        and agreement.valid_until < today
    ):
        return AgreementStatus.EXPIRED.label
    return agreement.get_status_display()


def agreement_list(actor: Actor, *, kind: str = "") -> list[Agreement]:
    qs = policy.visible(actor, Action.READ, _qs())
    if kind in AgreementKind.values:
        qs = qs.filter(kind=kind)
    qs = qs.annotate(open_comments=Count("comments", filter=Q(comments__status=CommentStatus.OPEN)))
    agreements = list(qs.order_by("kind", "title"))
    today = timezone.localdate()
    for a in agreements:
        a.shown_status = effective_status(a, today)
    return agreements


def agreement_get(actor: Actor, public_id, *, action: str = Action.READ) -> Agreement:
    try:
        agreement = _qs().get(public_id=public_id)
    except (Agreement.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound("Dokumentet finns inte.") from exc
    if action == Action.READ:
        allowed = policy.decide(actor, action, agreement).allowed
    else:  # prints and exports are logged
        allowed = pipeline.disclose_one(actor, action, agreement, not_found=False).shown
    if not allowed:
        raise NotFound("Dokumentet finns inte.")
    agreement.shown_status = effective_status(agreement)
    return agreement


def may_edit(actor: Actor, agreement: Agreement) -> bool:
    return policies.may_edit(actor, agreement)


def may_create(actor: Actor) -> bool:
    return policies.may_create(actor)


@dataclass(frozen=True)
class Link:
    label: str
    url: str


def knowledge_links(agreement: Agreement) -> list[Link]:
    links = []
    for ref in agreement.knowledge_links:
        kind_code, _, code = str(ref).partition(":")
        try:
            entry = knowledge.entry_get(kind_code, code)
        except NotFound:
            continue  # removed from the knowledge base since; the history keeps the code
        links.append(Link(str(entry), knowledge.entry_url(kind_code, code)))
    return links


def knowledge_link_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    groups = [
        ("Begrepp", "concept", knowledge.concepts()),
        ("Metoder", "method", knowledge.methods()),
        ("Aktörer", "actor", knowledge.actor_profiles()),
    ]
    return [
        (label, [(f"{code}:{e.code}", str(e)) for e in entries]) for label, code, entries in groups
    ]


def document(agreement: Agreement) -> list[body.Block]:
    return body.parse(agreement.body)


def comments(agreement: Agreement) -> list[AgreementComment]:
    """Comments and proposals, newest first; an open proposal carries ``changes``, its
    text compared line by line with the current body."""
    found = list(
        AgreementComment.objects.filter(agreement=agreement)
        .select_related("author_organisation")
        .order_by("-created_at")
    )
    for c in found:
        c.changes = (
            [line for line in lines_diff(agreement.body, c.proposed_body) if line.op != "same"]
            if c.proposed_body and c.status == CommentStatus.OPEN
            else []
        )
    return found


def revisions(agreement: Agreement) -> list[AgreementRevision]:
    return list(AgreementRevision.objects.filter(agreement=agreement).order_by("-number"))


@dataclass(frozen=True)
class Line:
    op: str  # "same", "removed", "added"
    text: str


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str
    lines: list[Line] | None = None  # the body: line by line


@dataclass(frozen=True)
class Comparison:
    agreement: Agreement
    older: AgreementRevision
    newer: AgreementRevision
    changes: list[FieldChange]


def _text(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value or "")


def lines_diff(before: str, after: str) -> list[Line]:
    a = (before or "").split("\n")
    b = (after or "").split("\n")
    out: list[Line] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend(Line("same", t) for t in a[i1:i2])
            continue
        if tag in ("replace", "delete"):
            out.extend(Line("removed", t) for t in a[i1:i2])
        if tag in ("replace", "insert"):
            out.extend(Line("added", t) for t in b[j1:j2])
    return out


def compare(actor: Actor, public_id, older: int, newer: int) -> Comparison:
    """Two saved versions side by side: every fact that differs, and the body line by
    line (removed and added lines marked)."""
    agreement = agreement_get(actor, public_id)
    if older > newer:
        older, newer = newer, older
    found = {
        r.number: r
        for r in AgreementRevision.objects.filter(agreement=agreement, number__in=[older, newer])
    }
    if older not in found or newer not in found:
        raise NotFound("Versionen finns inte.")
    a, b = found[older].data, found[newer].data
    changes = []
    for name, label in FIELD_LABELS.items():
        if a.get(name) == b.get(name):
            continue
        lines = lines_diff(a.get(name, ""), b.get(name, "")) if name == "body" else None
        changes.append(FieldChange(name, label, _text(a.get(name)), _text(b.get(name)), lines))
    return Comparison(agreement, found[older], found[newer], changes)


@dataclass(frozen=True)
class Reminder:
    agreement: Agreement
    text: str
    overdue: bool


def reminders(actor: Actor, *, today: datetime.date | None = None) -> list[Reminder]:
    """What the document owner should act on: a review date that is near or past, a
    validity that runs out soon, and open comments and proposals."""
    if not actor.has_membership:
        return []
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=REMIND_DAYS)
    owned = (
        _qs()
        .filter(
            owner_organisation_id=actor.organisation_id,
            owner_function__code=actor.function_code,
        )
        .exclude(status=AgreementStatus.EXPIRED)
        .annotate(open_comments=Count("comments", filter=Q(comments__status=CommentStatus.OPEN)))
    )
    out: list[Reminder] = []
    for a in owned.order_by("review_on", "title"):
        if a.review_on and a.review_on <= horizon and a.status != AgreementStatus.DRAFT:
            if a.review_on < today:
                out.append(Reminder(a, f"skulle ha setts över senast {a.review_on:%Y-%m-%d}", True))
            else:
                out.append(Reminder(a, f"ska ses över senast {a.review_on:%Y-%m-%d}", False))
        if a.valid_until and today <= a.valid_until <= horizon:
            out.append(Reminder(a, f"gäller bara till {a.valid_until:%Y-%m-%d}", False))
        if a.open_comments:
            noun = "synpunkt" if a.open_comments == 1 else "synpunkter"
            out.append(Reminder(a, f"har {a.open_comments} {noun} som väntar på svar", False))
    return out
