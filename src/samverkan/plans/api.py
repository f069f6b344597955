from uuid import UUID

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from samverkan.audit.models import Action
from samverkan.core.errors import NotFound
from samverkan.directory import selectors as directory
from samverkan.people import selectors as people
from samverkan.people.schemas import ErrorOut

from . import fhir, selectors, services
from .schemas import (
    ConsentMissingOut,
    PlanOut,
    PlanPatchIn,
    PlanSaveIn,
    PlanStartIn,
    PlanSummaryOut,
)

router = Router(tags=["SIP"])
children_router = Router(tags=["SIP"])


def _out(view: selectors.PlanView) -> dict:
    plan, c = view.plan, view.content
    public_ids = {o.organisation_id: o.organisation.public_id for o in view.organisations}
    return {
        "id": plan.public_id,
        "child_id": plan.child.public_id,
        "status": plan.status,
        "version": plan.version,
        "purpose": plan.purpose,
        "question": plan.question,
        "meeting_at": plan.meeting_at,
        "meeting_place": plan.meeting_place,
        "video_link": plan.video_link,
        "organisations": [
            {
                "id": o.organisation.public_id,
                "name": o.organisation.name,
                "called": not o.is_starter,
                "acknowledged_at": o.acknowledged_at,
                "unit": o.unit.name if o.unit else "",
            }
            for o in view.organisations
        ],
        "invited": [i.name for i in view.invited],
        "needs": c.get("needs", []),
        "long_term_goal": c.get("long_term_goal", ""),
        "short_term_goals": c.get("short_term_goals", []),
        "efforts": [
            {
                "key": e["key"],
                "title": e["title"],
                "organisation_id": public_ids.get(e["organisation_id"]),
                "organisation": e["organisation_name"],
                "responsible": e["responsible"],
                # Absent dates are null, as the API takes them (never "").
                "starts_on": e.get("starts_on") or None,
                "ends_on": e.get("ends_on") or None,
                "status": e["status"],
            }
            for e in view.efforts
        ],
        "others_do": c.get("others_do", ""),
        "responsible_organisation_id": public_ids.get(c.get("responsible_organisation_id")),
        "responsible_organisation": c.get("responsible_organisation_name", ""),
        "coordinator_username": plan.coordinator.username if plan.coordinator else None,
        "coordinator": c.get("coordinator_name", ""),
        "participants": c.get("participants", ""),
        "disagreements": c.get("disagreements", ""),
        "follow_up_on": view.follow_up_on,
        "child_words": c.get("child_words", ""),
        "legal_ground": str(view.decision.ground.label),
    }


def _org_pks(ids) -> list[int]:
    organisations = {str(o.public_id): o.pk for o in directory.organisation_choices()}
    unknown = [str(i) for i in ids if str(i) not in organisations]
    if unknown:
        raise HttpError(422, _("Okänd organisation: %(join)s") % {"join": ", ".join(unknown)})
    return [organisations[str(i)] for i in ids]


@router.post(
    "",
    response={
        201: PlanOut,
        401: ErrorOut,
        403: ConsentMissingOut,
        404: ErrorOut,
        422: ErrorOut,
    },
    summary="Starta en SIP och kalla verksamheterna (kräver samtycke för SIP)",
)
def start_plan(request, payload: PlanStartIn):
    actor = request.actor
    try:
        child = people.child_get(actor, payload.child_id).child
    except NotFound as exc:
        raise HttpError(404, exc.message) from exc
    try:
        plan = services.plan_start(
            actor=actor,
            child=child,
            called_organisation_ids=_org_pks(payload.called),
            purpose=payload.purpose,
            question=payload.question,
            long_term_goal=payload.long_term_goal,
            meeting_at=payload.meeting_at,
            meeting_place=payload.meeting_place,
            video_link=payload.video_link,
            invited=payload.invited,
        )
    except services.ConsentMissing as exc:
        return 403, {
            "detail": exc.message,
            "code": exc.code,
            "missing": [
                {"organisation": c.organisation.name, "reason": str(c.decision.reason)}
                for c in exc.checks
                if not c.ok
            ],
        }
    return 201, _out(selectors.plan_get(actor, plan.public_id))


@router.get(
    "/{plan_id}",
    response={200: PlanOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="En SIP (403 med skäl för en deltagare utan gällande samtycke)",
)
def get_plan(request, plan_id: UUID):
    return _out(selectors.plan_get(request.actor, plan_id))


def _coordinator_id(username: str | None) -> int | None:
    if not username:
        return None
    user = get_user_model().objects.filter(username=username.replace("\x00", "")).first()
    if user is None:
        raise HttpError(422, _("Okänd samordnare."))
    return user.pk


def _changes(payload, fields: set[str]) -> dict:
    """The parts of a PUT or PATCH body named in ``fields``, as plan_save's inputs.
    Ids are the API's public ones; null text means empty, a null list an empty one."""
    data = {name: getattr(payload, name) for name in fields}
    org_ids = {e.organisation_id for e in data.get("efforts") or []}
    if data.get("responsible_organisation_id"):
        org_ids.add(data["responsible_organisation_id"])
    pks = dict(zip(org_ids, _org_pks(list(org_ids)), strict=True))
    changes = {}
    for name, value in data.items():
        if name == "efforts":
            changes["efforts"] = [
                services.EffortInput(
                    title=e.title,
                    organisation_id=pks[e.organisation_id],
                    responsible=e.responsible,
                    starts_on=e.starts_on,
                    ends_on=e.ends_on,
                    status=e.status,
                    key=e.key,
                )
                for e in value or []
            ]
        elif name == "responsible_organisation_id":
            changes[name] = pks.get(value)
        elif name == "coordinator_username":
            changes["coordinator_user_id"] = _coordinator_id(value)
        elif name in {"needs", "short_term_goals"}:
            changes[name] = value or []
        elif name == "follow_up_on":
            changes[name] = value
        else:
            changes[name] = value or ""
    return changes


_PLAN_FIELDS = {
    "needs",
    "long_term_goal",
    "short_term_goals",
    "efforts",
    "others_do",
    "responsible_organisation_id",
    "coordinator_username",
    "participants",
    "disagreements",
    "follow_up_on",
    "child_words",
}
_SAVE_RESPONSES = {
    200: PlanOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


@router.put(
    "/{plan_id}",
    response=_SAVE_RESPONSES,
    summary="Spara hela planen (409 om någon annan har sparat sedan, 422 om planen inte är "
    "komplett; oförändrad plan ger ingen ny version)",
)
def save_plan(request, plan_id: UUID, payload: PlanSaveIn):
    actor = request.actor
    plan = selectors.plan_for_change(actor, plan_id)
    services.plan_save(
        actor=actor,
        plan=plan,
        expected_version=payload.version,
        comment=payload.comment,
        **_changes(payload, _PLAN_FIELDS),
    )
    return _out(selectors.plan_get(actor, plan_id))


@router.patch(
    "/{plan_id}",
    response=_SAVE_RESPONSES,
    summary="Ändra delar av planen; resten behålls (409 om någon annan har sparat sedan)",
)
def patch_plan(request, plan_id: UUID, payload: PlanPatchIn):
    actor = request.actor
    plan = selectors.plan_for_change(actor, plan_id)
    services.plan_patch(
        actor=actor,
        plan=plan,
        expected_version=payload.version,
        changes=_changes(payload, _PLAN_FIELDS & payload.model_fields_set),
        comment=payload.comment,
    )
    return _out(selectors.plan_get(actor, plan_id))


@router.get(
    "/{plan_id}/fhir",
    response={200: dict, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Planen som HL7 FHIR R4 CarePlan",
    # The body is FHIR JSON, served with FHIR's own media type.
    openapi_extra={
        "responses": {200: {"content": {"application/fhir+json": {"schema": {"type": "object"}}}}}
    },
)
def plan_fhir(request, plan_id: UUID):
    view = selectors.plan_get(request.actor, plan_id, action=Action.EXPORT)
    return HttpResponse(fhir.care_plan_json(view), content_type="application/fhir+json")


@children_router.get(
    "/{child_id}/plans",
    response={200: list[PlanSummaryOut], 401: ErrorOut, 404: ErrorOut},
    summary="Barnets SIP:ar som anroparens verksamhet deltar i",
)
def child_plans(request, child_id: UUID):
    try:
        child = people.child_get(request.actor, child_id).child
    except NotFound as exc:
        raise HttpError(404, exc.message) from exc
    return [
        {
            "id": s.plan.public_id,
            "status": s.plan.status,
            "started_by": s.plan.started_by_organisation.name,
            "created_at": s.plan.created_at,
            "content_visible": s.visible,
            "reason": str(s.reason),
        }
        for s in selectors.plans_for_child(request.actor, child)
    ]
