from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from samverkan.core.errors import NotFound
from samverkan.directory import selectors as directory
from samverkan.people import selectors as people
from samverkan.people import services as people_services
from samverkan.people.schemas import ErrorOut

from . import selectors, services
from .schemas import ActorMapEntryOut, ConsentIn, ConsentOut, RevokeIn

children_router = Router(tags=["Samtycke"])
consents_router = Router(tags=["Samtycke"])


def _out(view: selectors.ConsentView) -> dict:
    consent = view.consent
    return {
        "id": consent.public_id,
        "child_id": consent.child.public_id,
        "status": str(view.status),
        "covers_now": view.coverage.covers,
        "reason": str(view.explanation),
        "parties": [{"id": p.public_id, "name": p.name} for p in view.parties],
        "categories": [c.code for c in consent.categories.all()],
        "purposes": [p.code for p in consent.purposes.all()],
        "exclusions": consent.exclusions,
        "form": consent.form,
        "context": consent.context,
        "valid_from": consent.valid_from,
        "valid_until": consent.valid_until,
        "givers": [
            {
                "id": g.pk,
                "kind": g.kind,
                "name": g.name,
                "given_at": g.given_at,
                "method": g.method,
                "revoked_at": g.revoked_at,
            }
            for g in consent.givers.all()
        ],
        "legal_ground": str(view.decision.ground.label),
    }


def _child(request, child_id):
    try:
        return people.child_get(request.actor, child_id).child
    except NotFound as exc:
        raise HttpError(404, exc.message) from exc


@children_router.get(
    "/{child_id}/consents",
    response={200: list[ConsentOut], 401: ErrorOut, 404: ErrorOut},
    summary="Barnets samtycken som anroparens verksamhet är part i",
)
def list_consents(request, child_id: UUID):
    child = _child(request, child_id)
    return [_out(v) for v in selectors.consents_for_child(request.actor, child)]


@children_router.post(
    "/{child_id}/consents",
    response={201: ConsentOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Registrera ett samtycke",
)
def create_consent(request, child_id: UUID, payload: ConsentIn):
    actor = request.actor
    try:
        child = people.child_for_change(actor, child_id)
    except NotFound as exc:
        raise HttpError(404, exc.message) from exc
    organisations = {str(o.public_id): o.pk for o in directory.organisation_choices()}
    unknown = [str(p) for p in payload.parties if str(p) not in organisations]
    if unknown:
        raise HttpError(422, _("Okänd organisation: %(join)s") % {"join": ", ".join(unknown)})
    renews = None
    if payload.renews:
        try:
            renews = selectors.consent_get(actor, payload.renews).consent
        except NotFound as exc:
            raise HttpError(404, exc.message) from exc
    consent = services.consent_give(
        actor=actor,
        child=child,
        party_ids=[organisations[str(p)] for p in payload.parties],
        category_codes=payload.categories,
        purpose_codes=payload.purposes,
        form=payload.form,
        context=payload.context,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        exclusions=payload.exclusions,
        child_views=payload.child_views,
        note=payload.note,
        givers=[
            services.GiverInput(
                kind=g.kind,
                guardian_id=str(g.guardian_id) if g.guardian_id else None,
                given_on=g.given_on,
                method=g.method,
            )
            for g in payload.givers
        ],
        renews=renews,
        new_guardians=[
            services.NewGuardian(
                guardian=people_services.GuardianInput(
                    first_name=g.first_name,
                    last_name=g.last_name,
                    personal_number=g.personal_number,
                    custody_type=g.custody_type,
                ),
                consented=g.consented,
                given_on=g.given_on,
                method=g.method,
            )
            for g in payload.new_guardians
        ],
    )
    return 201, _out(selectors.consent_get(actor, consent.public_id))


@children_router.get(
    "/{child_id}/involvements",
    response={200: list[ActorMapEntryOut], 401: ErrorOut, 404: ErrorOut},
    summary="Aktörskartan: verksamheter tidigare, nu och framöver, med grund",
)
def actor_map(request, child_id: UUID):
    child = _child(request, child_id)
    return [
        {
            "organisation_id": e.organisation.public_id,
            "organisation": e.organisation.name,
            "organisation_type": e.organisation.org_type,
            "period": e.period,
            "what": e.context_label,
            "since": e.since,
            "until": e.until,
            "own_organisation": e.own,
            "legal_ground": str(e.ground_label),
        }
        for e in selectors.actor_map(request.actor, child)
    ]


@consents_router.post(
    "/{consent_id}/revoke",
    response={200: ConsentOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Återkalla ett samtycke (helt eller för vissa givare)",
)
def revoke_consent(request, consent_id: UUID, payload: RevokeIn):
    actor = request.actor
    try:
        view = selectors.consent_get(actor, consent_id)
    except NotFound as exc:
        raise HttpError(404, exc.message) from exc
    services.consent_revoke(
        actor=actor, consent=view.consent, giver_ids=payload.giver_ids, note=payload.note
    )
    return 200, _out(selectors.consent_get(actor, consent_id))
