from uuid import UUID

from ninja import Router
from ninja.errors import HttpError
from ninja.responses import Status

from samverkan.core.errors import NotFound
from samverkan.people import selectors as people
from samverkan.people.schemas import ErrorOut

from . import selectors, services
from .schemas import ForumOut, ItemErrorOut, ItemIn, ItemOut, MeetingOut

forums_router = Router(tags=["Samverkansforum"])
meetings_router = Router(tags=["Samverkansforum"])


def _org(org) -> dict:
    return {"id": org.public_id, "name": org.name}


def _forum(forum) -> dict:
    return {
        "id": forum.public_id,
        "name": forum.name,
        "level": forum.level,
        "cadence": forum.cadence,
        "convener_organisation": _org(forum.convener_organisation),
        "convener_function": forum.convener_function.code,
        "organisations": [_org(m.organisation) for m in forum.members.all()],
        "functions": sorted(f.code for f in forum.functions.all()),
        "purpose": forum.purpose,
        "goals": forum.goals,
        "target_group": forum.target_group,
        "min_age": forum.min_age,
        "max_age": forum.max_age,
        "way_of_working": forum.way_of_working,
    }


def _item(view: selectors.ItemView) -> dict:
    item = view.item
    shown = view.visible
    return {
        "id": item.public_id,
        "kind": item.kind,
        "visible": shown,
        "title": item.title if shown else "",
        "text": item.text if shown else "",
        "author_organisation": _org(item.author_organisation),
        "child_id": item.child.public_id if shown and item.child_id else None,
        "child_name": item.child.full_name if shown and item.child_id else "",
        "decision": item.decision if shown else "",
        "reason": "" if shown else f"{selectors.NOT_SHOWN}: {view.reason}",
    }


def _action(action, carried: bool) -> dict:
    return {
        "id": action.public_id,
        "text": action.text,
        "responsible_organisation": _org(action.responsible_organisation),
        "responsible_function": action.responsible_function.name
        if action.responsible_function_id
        else "",
        "responsible_person": action.responsible_person,
        "due_date": action.due_date,
        "status": action.status,
        "carried_over": carried,
    }


def _meeting(view: selectors.MeetingView) -> dict:
    meeting = view.meeting
    return {
        "id": meeting.public_id,
        "forum": {"id": meeting.forum.public_id, "name": meeting.forum.name},
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "location": meeting.location,
        "status": meeting.status,
        "minutes": meeting.minutes,
        "minutes_approved_at": meeting.minutes_approved_at,
        "attendances": [
            {
                "organisation": _org(a.organisation),
                "present": a.present,
                "participants": a.participants,
            }
            for a in view.attendances
        ],
        "items": [_item(v) for v in view.items],
        "actions": [_action(a, True) for a in view.carried_over]
        + [_action(a, False) for a in view.actions],
        "corrections": [c.text for c in view.corrections],
        "legal_ground": str(view.decision.ground.label),
    }


@forums_router.get("", response={200: list[ForumOut], 401: ErrorOut}, summary="Samverkansforum")
def list_forums(request):
    return [_forum(f) for f in selectors.forum_list(request.actor)]


@meetings_router.get(
    "/{meeting_id}",
    response={200: MeetingOut, 401: ErrorOut, 404: ErrorOut},
    summary="Ett möte: närvaro, dagordning, protokoll och åtgärder",
)
def get_meeting(request, meeting_id: UUID):
    try:
        return _meeting(selectors.meeting_get(request.actor, meeting_id))
    except NotFound as exc:
        raise HttpError(404, exc.message) from exc


@meetings_router.post(
    "/{meeting_id}/items",
    response={
        201: ItemOut,
        401: ErrorOut,
        403: ItemErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ItemErrorOut,
    },
    summary="Lägg till en punkt på dagordningen",
    description=(
        "En avidentifierad ärendekonsultation (och en allmän fråga) får inte innehålla "
        "personnummer, födelsedatum, telefonnummer, e-post, adresser, namn, klasser eller "
        "enheter: svaret 422 (code identifying) listar varje sådant ställe i varje fält. "
        "Klass, ålder och en ovanlig händelse tillsammans ger 422 med code small_group; "
        "skicka igen med reviewed=true om ingen kan känna igen barnet. Ett ärende med namn kräver "
        "ett samtycke som täcker varje deltagande verksamhet för syftet samverkansträff: "
        "annars 403 med skälen."
    ),
)
def add_item(request, meeting_id: UUID, payload: ItemIn):
    actor = request.actor
    meeting = selectors.meeting_for_change(meeting_id)
    child = None
    if payload.child_id is not None:
        try:
            child = people.child_get(actor, payload.child_id).child
        except NotFound as exc:
            raise HttpError(404, exc.message) from exc
    try:
        item = services.item_add(
            actor=actor,
            meeting=meeting,
            kind=payload.kind,
            title=payload.title,
            text=payload.text,
            child=child,
            category=payload.category,
            reviewed=payload.reviewed,
        )
    except services.IdentifyingText as exc:
        findings = [
            {
                "field": f.field,
                "start": f.start,
                "end": f.end,
                "text": f.text,
                "kind": f.kind,
                "severity": f.severity,
                "message": f.message,
            }
            for f in exc.findings
        ]
        body = {"detail": exc.message, "code": exc.code, "field": exc.field, "findings": findings}
        return Status(422, body)
    except services.ConsentMissing as exc:
        body = {"detail": exc.message, "code": exc.code, "field": exc.field, "reasons": exc.reasons}
        return Status(403, body)
    return Status(201, _item(selectors.ItemView(item, True)))
