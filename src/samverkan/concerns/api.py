"""/api/concerns: the caller's reports (reporting side) or intake list (social
services), filing a report, one report, feedback and additions. The same selectors and
services as the pages, so the same rules and audit rows apply; refusals are 4xx with
a Swedish reason."""

from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Query, Router

from samverkan.audit.models import Action
from samverkan.core import paging
from samverkan.core.errors import NotFound
from samverkan.people import selectors as people
from samverkan.people.schemas import ErrorOut

from . import selectors, services
from .schemas import AdditionIn, ConcernIn, ConcernOut, EntryOut, FeedbackIn, IdentifyIn

router = Router(tags=["Orosanmälan"])


def _entry(e) -> dict:
    return {
        "id": e.public_id,
        "kind": e.kind,
        "statement": e.statement,
        "text": e.text,
        "created_at": e.created_at,
        "legal_ground": str(e.ground_label),
    }


def _out(view: selectors.ReportView, *, with_entries: bool = True) -> dict:
    report = view.report
    return {
        "id": report.public_id,
        "reference": report.reference,
        "role": view.role,
        "status": view.status,
        "channel": report.channel,
        "received_at": report.received_at,
        "child_id": report.child.public_id if report.child_id else None,
        "child_name": report.child.full_name if report.child_id else "",
        "reported_child": report.reported_child,
        "reporter_organisation": (
            report.reporter_organisation.name if report.reporter_organisation_id else ""
        ),
        "handler": view.handler_name,
        "deadlines": [{"kind": d.kind, "due": d.due, "status": d.status} for d in view.deadlines],
        "duplicate_flag": view.duplicate_flag,
        "content": (
            {
                "worry": report.worry,
                "observations": report.observations,
                "child_words": report.child_words,
                "urgency": report.urgency,
                "guardians_informed": report.guardians_informed,
                "do_not_inform_guardians": report.do_not_inform_guardians,
                "reporter_name": "" if report.is_anonymous else report.reporter_name,
                "reporter_phone": report.reporter_phone,
                "reporter_email": report.reporter_email,
            }
            if with_entries  # both sides: social services, or the reporter's own report
            else None
        ),
        "entries": [_entry(e) for e in view.entries] if with_entries else [],
        "legal_ground": str(view.decision.ground.label) if view.decision else "",
    }


def _is_intake(actor) -> bool:
    return selectors.is_intake(actor)


@router.get(
    "",
    response={200: list[ConcernOut], 401: ErrorOut},
    summary="Anroparens anmälningar, eller mottagningens öppna anmälningar",
)
def list_concerns(request, page: int = Query(1, ge=1, le=paging.MAX_PAGE)):
    """25 a page, newest first (the intake: most urgent first); ``page`` for the next."""
    actor = request.actor
    views = (
        selectors.intake_dashboard(actor, page=page)
        if _is_intake(actor)
        else selectors.reports_mine(actor, page=page)
    )
    return [_out(v, with_entries=False) for v in views]


@router.post(
    "",
    response={201: ConcernOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Gör en orosanmälan (yrkesverksam)",
)
def create_concern(request, payload: ConcernIn):
    actor = request.actor
    child = people.child_get(actor, payload.child_id).child if payload.child_id else None
    report = services.report_submit(
        actor=actor,
        child=child,
        personal_number=payload.personal_number,
        child_first_name=payload.child_first_name,
        child_last_name=payload.child_last_name,
        worry=payload.worry,
        observations=payload.observations,
        child_words=payload.child_words,
        urgency=payload.urgency,
        guardians_informed=payload.guardians_informed,
        do_not_inform_guardians=payload.do_not_inform_guardians,
        do_not_inform_reason=payload.do_not_inform_reason,
        reporter_phone=payload.reporter_phone,
        reporter_email=payload.reporter_email,
    )
    return 201, _out(selectors.report_get(actor, report.public_id))


@router.get(
    "/{concern_id}",
    response={200: ConcernOut, 401: ErrorOut, 404: ErrorOut},
    summary="En anmälan: anmälaren ser status och återkoppling, socialtjänsten allt",
)
def get_concern(request, concern_id: UUID):
    return _out(selectors.report_get(request.actor, concern_id))


@router.get(
    "/{concern_id}/feedback",
    response={200: list[EntryOut], 401: ErrorOut, 404: ErrorOut},
    summary="Återkoppling som lämnats till anmälaren",
)
def list_feedback(request, concern_id: UUID):
    view = selectors.report_get(request.actor, concern_id)
    return [_entry(e) for e in view.feedback]


@router.post(
    "/{concern_id}/feedback",
    response={201: EntryOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Lämna återkoppling (påstående ur listan, eller fri text med samtycke)",
)
def send_feedback(request, concern_id: UUID, payload: FeedbackIn):
    actor = request.actor
    view = selectors.report_get(actor, concern_id, action=Action.CHANGE)
    in_reply_to = None
    if payload.in_reply_to:
        in_reply_to = selectors.question_get(view, payload.in_reply_to)
        if in_reply_to is None:
            raise NotFound(_("Frågan finns inte."))
    entry = services.feedback_send(
        actor=actor,
        report=view.report,
        statement=payload.statement,
        text=payload.text,
        category=payload.category,
        in_reply_to=in_reply_to,
    )
    return 201, _entry(entry)


@router.post(
    "/{concern_id}/additions",
    response={201: EntryOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Anmälaren lägger till information, en rättelse eller en fråga",
)
def add_addition(request, concern_id: UUID, payload: AdditionIn):
    actor = request.actor
    view = selectors.report_get(actor, concern_id, action=Action.CREATE)
    entry = services.reporter_entry_add(
        actor=actor, report=view.report, kind=payload.kind, text=payload.text
    )
    return 201, _entry(entry)


@router.post(
    "/{concern_id}/identify",
    response={200: ConcernOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Socialtjänsten identifierar barnet i en anmälan utan barn (kopplar eller "
    "registrerar barnet)",
)
def identify_child(request, concern_id: UUID, payload: IdentifyIn):
    actor = request.actor
    view = selectors.report_get(actor, concern_id, action=Action.CHANGE)
    services.report_identify_child(
        actor=actor,
        report=view.report,
        personal_number=payload.personal_number,
        first_name=payload.first_name,
        last_name=payload.last_name,
        note=payload.note,
    )
    return _out(selectors.report_get(actor, concern_id))
