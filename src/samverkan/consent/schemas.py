import datetime
from typing import Annotated
from uuid import UUID

from ninja import Field, Schema

from samverkan.core import bounds
from samverkan.core.schemas import InputSchema

from .models import ConsentContext, ConsentForm, GiverKind

PlannedDate = bounds.schema_date(bounds.PLANNED)
PastDate = bounds.schema_date(bounds.PAST_EVENT)
GiverId = Annotated[int, Field(ge=1, le=bounds.INT_MAX)]


def _documented(*, description: str = "", **schema) -> dict:
    """Field arguments that describe the valid values in the OpenAPI document without
    enforcing them here: the service checks them and answers with a reason in Swedish
    ("Välj hur samtycket ges.") rather than a generic validation error."""
    return {"json_schema_extra": schema} | ({"description": description} if description else {})


class PartyOut(Schema):
    id: UUID
    name: str


class GiverOut(Schema):
    id: int
    kind: str
    name: str
    given_at: datetime.datetime
    method: str
    revoked_at: datetime.datetime | None


class ConsentOut(Schema):
    id: UUID
    child_id: UUID
    status: str
    covers_now: bool
    reason: str
    parties: list[PartyOut]
    categories: list[str]
    purposes: list[str]
    exclusions: str
    form: str
    context: str
    valid_from: datetime.date
    valid_until: datetime.date
    givers: list[GiverOut]
    legal_ground: str


class GiverIn(InputSchema):
    kind: str = Field(**_documented(description="guardian eller child", enum=GiverKind.values))
    guardian_id: UUID | None = None
    given_on: PastDate | None = None
    method: str = Field(default="written", **_documented(enum=ConsentForm.values))


class NewGuardianIn(InputSchema):
    """A guardian the organisation has not recorded (only when it has recorded none)."""

    first_name: str
    last_name: str
    personal_number: str
    custody_type: str = Field(**_documented(enum=["gemensam", "ensam"]))
    consented: bool = True
    given_on: PastDate | None = None
    method: str = Field("written", **_documented(enum=ConsentForm.values))


class ConsentIn(InputSchema):
    parties: list[UUID] = Field(
        **_documented(description="Organisationer (utöver den egna) som omfattas", minItems=1)
    )
    categories: list[str] = Field(**_documented(description="Kategorikoder", minItems=1))
    purposes: list[str] = Field(**_documented(description="Syfteskoder", minItems=1))
    form: str = Field(**_documented(enum=ConsentForm.values))
    context: str = Field(**_documented(enum=ConsentContext.values))
    valid_from: PlannedDate | None = None
    valid_until: PlannedDate | None = None
    exclusions: str = ""
    child_views: str = ""
    note: str = ""
    givers: list[GiverIn] = []
    new_guardians: list[NewGuardianIn] = Field(
        [],
        description="Vårdnadshavare som den egna verksamheten inte har registrerat: sparas i "
        "verksamhetens register och blir givare om de samtyckt",
    )
    renews: UUID | None = None


class RevokeIn(InputSchema):
    giver_ids: list[GiverId] | None = Field(
        default=None, description="Vilka som återkallar; utelämna för alla"
    )
    note: str = ""


class ActorMapEntryOut(Schema):
    organisation_id: UUID
    organisation: str
    organisation_type: str
    period: str = Field(description="before, now eller later")
    what: str
    since: datetime.datetime | None
    until: datetime.datetime | None
    own_organisation: bool
    legal_ground: str
