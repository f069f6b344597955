from uuid import UUID

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from samverkan.core.errors import NotFound

from . import identity, selectors
from .schemas import ChildOut, ChildSummaryOut, ErrorOut

router = Router(tags=["Barn"])


class ChildFilter(Schema):
    personnummer: str | None = Field(
        default=None,
        description="Personnummer eller samordningsnummer, 10 eller 12 siffror",
        json_schema_extra={"pattern": r"^\s*(\d{2})?\d{6}[-+]?\d{4}\s*$"},
    )


def _summary(child) -> dict:
    return {
        "id": child.public_id,
        "personal_number": child.personal_number,
        "first_name": child.first_name,
        "last_name": child.last_name,
        "date_of_birth": child.date_of_birth,
        "age": identity.age_on(child.date_of_birth),
        "protected_identity": child.protected_identity,
    }


@router.get(
    "",
    response={200: list[ChildSummaryOut], 401: ErrorOut, 422: ErrorOut},
    summary="Barn som anroparen får se",
)
def list_children(request, filters: Query[ChildFilter]):
    """Children the caller's organisation has a matter with. With `personnummer`
    (10 or 12 digits): at most that child, and only if the caller may see it; an empty
    list never tells whether another organisation knows the child. Anything that is not
    a valid personnummer or samordningsnummer is refused (422) with the reason."""
    if filters.personnummer is not None:
        number = identity.parse(filters.personnummer)  # ValidationFailed: 422 with the reason
        children = selectors.child_search(request.actor, query=number.number)
    else:
        children = selectors.child_list(request.actor)
    return [_summary(c) for c in children]


@router.get(
    "/{child_id}",
    response={200: ChildOut, 401: ErrorOut, 404: ErrorOut},
    summary="Anroparens bild av ett barn",
)
def get_child(request, child_id: UUID):
    try:
        view = selectors.child_get(request.actor, child_id)
    except NotFound as exc:
        raise HttpError(404, exc.message) from exc
    child = view.child
    return {
        **_summary(child),
        "number_kind": child.number_kind,
        "address": (
            {
                "street_address": child.street_address,
                "postal_code": child.postal_code,
                "city": child.city,
            }
            if view.shows_protected_details
            else None
        ),
        "guardians": [
            {
                "id": c.guardian.public_id,
                "first_name": c.guardian.first_name,
                "last_name": c.guardian.last_name,
                "custody_type": c.custody_type,
                "phone": c.guardian.phone,
                "email": c.guardian.email,
            }
            for c in view.custodies
        ],
        "enrolments": [
            {
                "organisation": e.organisation.name,
                "school_year": e.school_year,
                "class_name": e.class_name,
                "start_date": e.start_date,
                "end_date": e.end_date,
            }
            for e in view.enrolments
        ],
        "involvements": [
            {
                "id": i.public_id,
                "context": i.context,
                "unit": i.unit.name if i.unit else None,
                "started_at": i.started_at,
                "ended_at": i.ended_at,
            }
            for i in view.own_involvements
        ],
        "hidden": view.hidden,
        "legal_ground": view.decision.ground.label,
    }
