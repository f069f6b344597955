"""Log extracts for a child or a guardian, with a recorded secrecy review.

A child or a guardian may ask which units accessed the child's data (lag 2001:454,
patientdatalagen 4 kap.). The answer is a public document only after a secrecy
review: a row may reveal that social services received a report the guardians must
not be told about (OSL 12 kap. 3 §, 26 kap. 1 §), or where a child with protected
identity lives, goes to school or gets care (OSL 21 kap. 3 §). So:

1. ``extract_draft``: the auditor function drafts the extract from its own
   organisation's log; the flaggers in ``secrecy`` mark rows with notes.
2. ``extract_review``: the reviewer (the auditor function) decides which rows are
   withheld, and why. Recorded once, with who and when, and audited.
3. ``extract_print``: only a reviewed extract is printed, without the withheld rows.

Every step writes an audit row in its transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from samverkan.core import bounds, paging
from samverkan.core.errors import NotFound, ValidationFailed

from . import secrecy, selectors, services, subjects
from .models import Action, AuditEvent, ExtractStatus, GuardianExtract, Outcome

RESOURCE = "audit.extract"
# Rows in one extract (the log view shows 1000). A child's whole history in one
# organisation stays far below this; the review page says when the limit was reached.
EXTRACT_ROWS = 20_000
# Rows per page of the review page, and extracts per page of the list (decision 0236).
REVIEW_PAGE_SIZE = 100
LIST_PAGE_SIZE = 50
REVIEWER_WITHHELD = "Undantagen vid sekretessprövningen."
# Shown to the reviewer in their language (lazy: read when the message is shown).
REASON_MISSING = gettext_lazy(
    "Skriv skälen för prövningen: vad som undantas och med stöd av vilken bestämmelse, "
    "eller varför inget behöver undantas."
)
NOT_REVIEWED = gettext_lazy(
    "Utdraget måste sekretessprövas innan det kan skrivas ut eller lämnas ut. "
    "Granska raderna och spara prövningen först."
)


@dataclass(frozen=True)
class ExtractRow:
    event: AuditEvent
    notes: list[str]
    withheld: str  # why the reviewer withheld it, or ""


@dataclass(frozen=True)
class ExtractView:
    """An extract with its rows: every row (print, family portal), or one page of them
    (``page``, the review page)."""

    extract: GuardianExtract
    subject: subjects.Subject | None
    rows: list[ExtractRow]
    page: paging.Page | None = None

    limit: int = EXTRACT_ROWS

    @property
    def total(self) -> int:
        return len(self.extract.row_ids)

    @property
    def is_reviewed(self) -> bool:
        return self.extract.status == ExtractStatus.REVIEWED

    @property
    def shown(self) -> list[ExtractRow]:
        return [r for r in self.rows if not r.withheld]


def _require_auditor(actor) -> None:
    if not selectors.may_audit(actor):
        raise NotFound()


def extract_draft(*, actor, personal_number: str) -> GuardianExtract:
    """Draft an extract for the child with this number from the own organisation's log,
    or return the draft already waiting for review (asking twice drafts once)."""
    _require_auditor(actor)
    subject = subjects.lookup(personal_number)  # ValidationFailed on a malformed number
    if subject is None or not selectors.subject_in_log(actor, subject.id):
        raise ValidationFailed(
            "Ingen loggad åtkomst till någon med det numret i din organisation.",
            field="personnummer",
        )
    with transaction.atomic():
        existing = _open_draft(actor, subject.id)
        if existing is not None:
            return existing
        rows = [
            row
            for row in selectors.events_for_subject(
                actor, subject.id, action=Action.READ, limit=EXTRACT_ROWS
            )
            if row.outcome == Outcome.ALLOWED and not row.resource_type.startswith("audit.")
        ]
        try:
            with transaction.atomic():
                extract = GuardianExtract.objects.create(
                    organisation_id=actor.organisation_id,
                    subject_id=subject.id,
                    created_at=timezone.now(),
                    created_by_user_id=actor.user_id,
                    created_by_name=actor.display_name or actor.username,
                    row_ids=[row.pk for row in rows],
                    flags=secrecy.flags(subject.id, actor.organisation_id, rows),
                )
        except IntegrityError:  # a concurrent request drafted it first
            return _open_draft(actor, subject.id)
        services.event_record(
            actor=actor,
            action=Action.CREATE,
            resource_type=RESOURCE,
            resource_id=str(extract.public_id),
            subject_id=subject.id,
            ground=services.LOG_CONTROL,
            details={"rows": len(rows), "flagged": sorted(int(i) for i in extract.flags)},
        )
    return extract


def _open_draft(actor, subject_id: str) -> GuardianExtract | None:
    return (
        GuardianExtract.objects.select_for_update()
        .filter(
            organisation_id=actor.organisation_id,
            subject_id=subject_id,
            status=ExtractStatus.DRAFT,
        )
        .first()
    )


def _load(actor, public_id, *, for_update: bool = False) -> GuardianExtract:
    _require_auditor(actor)
    qs = GuardianExtract.objects.filter(organisation_id=actor.organisation_id)
    if for_update:
        qs = qs.select_for_update()
    try:
        return qs.get(public_id=public_id)
    except GuardianExtract.DoesNotExist as exc:
        raise NotFound() from exc


def _view(extract: GuardianExtract, page: int | None = None) -> ExtractView:
    """Every row, or page ``page`` of the rows (in the extract's order, newest first)."""
    row_ids = extract.row_ids
    shown = None
    if page is not None:
        shown = paging.page_of(row_ids, page, REVIEW_PAGE_SIZE)
        row_ids = shown.items
    events = AuditEvent.objects.in_bulk(row_ids)
    rows = [
        ExtractRow(
            event=events[row_id],
            notes=extract.flags.get(str(row_id), []),
            withheld=extract.withheld.get(str(row_id), ""),
        )
        for row_id in row_ids
        if row_id in events
    ]
    if shown is not None:
        shown.items = rows
    subject = subjects.label(extract.subject_id)
    return ExtractView(extract=extract, subject=subject, rows=rows, page=shown)


def extract_get(*, actor, public_id, page: int = 1) -> ExtractView:
    """One page of the extract's rows, with their notes and the decision, for the
    reviewer."""
    extract = _load(actor, public_id)
    view = _view(extract, page)
    services.event_record(
        actor=actor,
        action=Action.READ,
        resource_type=RESOURCE,
        resource_id=str(extract.public_id),
        subject_id=extract.subject_id,
        ground=services.LOG_CONTROL,
        details={
            "rows": len(view.rows),
            "page": view.page.number,
            "of_rows": view.total,
            "status": extract.status,
        },
    )
    return view


def extract_list(*, actor, page: int = 1) -> paging.Page:
    """One page of the organisation's extracts, drafts waiting for review first, each
    with the child it concerns (items: ``(extract, subject)``). One audit row names
    every child shown (decision 0092)."""
    _require_auditor(actor)
    result = paging.page_of(
        GuardianExtract.objects.filter(organisation_id=actor.organisation_id).order_by(
            "status", "-created_at", "-pk"
        ),
        page,
        LIST_PAGE_SIZE,
    )
    found = result.items
    labels = subjects.labels(e.subject_id for e in found)
    services.list_record(
        actor=actor,
        action=Action.READ,
        resource_type=RESOURCE,
        items=[
            services.ListItem(str(e.public_id), e.subject_id, services.LOG_CONTROL) for e in found
        ],
        reason="Utdrag till barnet eller vårdnadshavare",
        details={"page": result.number},
    )
    result.items = [(e, labels.get(e.subject_id)) for e in found]
    return result


@transaction.atomic
def extract_review(*, actor, public_id, withhold_ids, reason: str) -> GuardianExtract:
    """Record the secrecy review: which rows are withheld and why. Once per extract."""
    extract = _load(actor, public_id, for_update=True)
    if extract.status != ExtractStatus.DRAFT:
        raise ValidationFailed(
            "Utdraget är redan sekretessprövat. Gör ett nytt utdrag om loggen ska prövas igen."
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(REASON_MISSING, field="reason")
    if len(reason) > bounds.TEXT_PARAGRAPH:
        raise ValidationFailed(
            f"Skälen får vara högst {bounds.TEXT_PARAGRAPH} tecken.", field="reason"
        )
    known = {str(i) for i in extract.row_ids}
    chosen = {str(i) for i in withhold_ids}
    if not chosen <= known:
        raise ValidationFailed("Välj bara rader som finns i utdraget.", field="withhold")
    extract.withheld = {
        row_id: " ".join(extract.flags.get(row_id, [])) or REVIEWER_WITHHELD
        for row_id in sorted(chosen, key=int)
    }
    extract.status = ExtractStatus.REVIEWED
    extract.reviewed_at = timezone.now()
    extract.reviewed_by_user_id = actor.user_id
    extract.reviewed_by_name = actor.display_name or actor.username
    extract.reviewed_by_function = actor.function_name
    extract.review_reason = reason
    extract.save()
    released = sorted(int(i) for i in set(extract.flags) - chosen)
    services.event_record(
        actor=actor,
        action=Action.CHANGE,
        resource_type=RESOURCE,
        resource_id=str(extract.public_id),
        subject_id=extract.subject_id,
        ground=services.LOG_CONTROL,
        reason=reason,
        details={
            "decision": "secrecy_review",
            "rows": len(extract.row_ids),
            "withheld": sorted(int(i) for i in chosen),
            "flagged_released": released,
        },
    )
    return extract


@transaction.atomic
def extract_print(*, actor, public_id) -> ExtractView:
    """The reviewed extract as it is handed out: without the withheld rows. Audited
    as a print."""
    extract = _load(actor, public_id)
    if extract.status != ExtractStatus.REVIEWED:
        raise ValidationFailed(NOT_REVIEWED)
    view = _view(extract)
    services.event_record(
        actor=actor,
        action=Action.PRINT,
        resource_type=RESOURCE,
        resource_id=str(extract.public_id),
        subject_id=extract.subject_id,
        ground=services.LOG_CONTROL,
        details={"rows": len(view.shown), "withheld": len(extract.withheld)},
    )
    return view


@dataclass(frozen=True)
class FamilyRow:
    occurred_at: object
    organisation: str
    unit: str
    action: str
    ground: str


def reviewed_for_family(*, actor, subject_id: str, leave_out=frozenset()) -> list[FamilyRow]:
    """What the family portal shows of the child's log (decision 0200): the rows of each
    organisation's newest reviewed extract, without the withheld ones and without any
    sign that rows were withheld (decision 0161). ``leave_out``: organisations whose
    extracts the family must not see at all. The caller has authorised the family
    member's read of the child; this read is audited with them as actor."""
    newest: dict[int, GuardianExtract] = {}
    for extract in (
        GuardianExtract.objects.filter(subject_id=subject_id, status=ExtractStatus.REVIEWED)
        .exclude(organisation_id__in=set(leave_out))
        .order_by("reviewed_at")
    ):
        newest[extract.organisation_id] = extract
    rows: list[FamilyRow] = []
    for extract in newest.values():
        for row in _view(extract).shown:
            event = row.event
            rows.append(
                FamilyRow(
                    event.occurred_at,
                    event.actor_organisation_name,
                    event.actor_unit_name,
                    event.get_action_display(),
                    event.ground_label,
                )
            )
    services.event_record(
        actor=actor,
        action=Action.READ,
        resource_type=RESOURCE,
        subject_id=subject_id,
        details={"extracts": [str(e.public_id) for e in newest.values()], "rows": len(rows)},
    )
    return sorted(rows, key=lambda r: r.occurred_at, reverse=True)
