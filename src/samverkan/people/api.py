from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Field, Query, Router
from ninja.errors import HttpError

from samverkan.core import bounds, paging
from samverkan.core.errors import NotFound, ValidationFailed
from samverkan.core.schemas import InputSchema

from . import identity, selectors
from .schemas import ChildOut, ChildSummaryOut, ErrorOut

router = Router(tags=["Barn"])


class ChildPage(InputSchema):
    page: int = Field(default=1, ge=1, le=paging.MAX_PAGE, description="Sida (25 barn per sida)")


class ChildSearch(InputSchema):
    personnummer: str | None = Field(
        default=None,
        max_length=bounds.NUMBER_AS_TYPED,
        description="Personnummer eller samordningsnummer, 10 eller 12 siffror, med eller "
        "utan bindestreck eller plustecken",
        json_schema_extra={"pattern": r"^\s*(\d{2})?\d{6}[-+]?\d{4}\s*$"},
    )
    name: str | None = Field(
        default=None,
        min_length=2,
        max_length=bounds.TEXT_PERSON_NAME,
        description="Början av för- eller efternamn (minst två bokstäver); stavningen förlåtande",
    )
    page: int = Field(default=1, ge=1, le=paging.MAX_PAGE, description="Sida (25 barn per sida)")


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
    summary="Barn som anroparens verksamhet har öppna ärenden om",
)
def list_children(request, filters: Query[ChildPage]):
    """Children the caller's organisation has an open matter with, in Swedish
    alphabetical order, 25 per page. To find a child, use `POST /children/search`."""
    return [_summary(c) for c in selectors.child_list(request.actor, page=filters.page)]


@router.post(
    "/search",
    response={200: list[ChildSummaryOut], 401: ErrorOut, 422: ErrorOut},
    summary="Sök barn på personnummer eller namn",
)
def search_children(request, search: ChildSearch):
    """Children the caller may see, by personnummer or samordningsnummer (exact) or by
    name, 25 per page. Sent with POST so that the personnummer never ends up in a URL
    or an access log. An empty list never tells whether another organisation knows the
    child. A personnummer that is not valid is refused (422) with the reason."""
    if bool(search.personnummer) == bool(search.name):
        raise ValidationFailed(_("Ange antingen personnummer eller namn."), field="personal_number")
    if search.personnummer:
        number = identity.parse(search.personnummer)  # ValidationFailed: 422 with the reason
        query = number.number
    else:
        query = search.name
    page = selectors.child_search(request.actor, query=query, page=search.page)
    return [_summary(c) for c in page]


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
        "legal_ground": str(view.decision.ground.label),
    }
