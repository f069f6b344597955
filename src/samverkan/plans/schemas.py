import datetime
from uuid import UUID

from ninja import Field, Schema

from samverkan.core import bounds
from samverkan.core.schemas import InputSchema

PlannedDate = bounds.schema_date(bounds.PLANNED)
PlannedTime = bounds.schema_datetime(bounds.PLANNED)
RecordedDate = bounds.schema_date(bounds.RECORDED)


class OrganisationOut(Schema):
    id: UUID
    name: str
    called: bool
    acknowledged_at: datetime.datetime | None
    unit: str


class EffortOut(Schema):
    key: str
    title: str
    organisation_id: UUID | None = Field(description="Ansvarig verksamhet (dess id)")
    organisation: str
    responsible: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    status: str


class PlanOut(Schema):
    id: UUID
    child_id: UUID
    status: str
    version: int
    purpose: str
    question: str
    meeting_at: datetime.datetime | None
    meeting_place: str
    video_link: str
    organisations: list[OrganisationOut]
    invited: list[str]
    needs: list[str]
    long_term_goal: str
    short_term_goals: list[str]
    efforts: list[EffortOut]
    others_do: str
    responsible_organisation_id: UUID | None = Field(description="Verksamhet med huvudansvar")
    responsible_organisation: str
    coordinator_username: str | None = Field(description="Samordnarens användarnamn")
    coordinator: str
    participants: str
    disagreements: str
    follow_up_on: datetime.date | None
    child_words: str
    legal_ground: str


class PlanSummaryOut(Schema):
    id: UUID
    status: str
    started_by: str
    created_at: datetime.datetime
    content_visible: bool
    reason: str = Field(description="Varför innehållet inte visas, när det inte gör det")


class PlanStartIn(InputSchema):
    child_id: UUID
    called: list[UUID] = Field(description="Kallade verksamheter (utöver den egna)")
    purpose: str
    question: str
    long_term_goal: str = ""
    meeting_at: PlannedTime | None = None
    meeting_place: str = ""
    video_link: str = ""
    invited: list[str] = Field(default=[], description="Inbjudna aktörer, fritext")


class EffortIn(InputSchema):
    key: str = Field("", description="Insatsens nyckel ur en läst plan; tom för en ny insats")
    title: str
    organisation_id: UUID
    responsible: str
    starts_on: RecordedDate | None = None
    ends_on: RecordedDate | None = None
    status: str = "not_started"


class PlanSaveIn(InputSchema):
    """PUT: the whole plan. Every part is required (a part left out is not emptied by
    mistake); a plan read with GET can be sent back as it is."""

    version: int = Field(
        ge=0, le=bounds.INT_MAX, description="Versionen ändringen bygger på; en äldre ger 409"
    )
    needs: list[str]
    long_term_goal: str
    short_term_goals: list[str]
    efforts: list[EffortIn]
    others_do: str
    responsible_organisation_id: UUID | None
    coordinator_username: str | None
    participants: str
    disagreements: str
    follow_up_on: PlannedDate | None
    child_words: str
    comment: str = ""


class PlanPatchIn(InputSchema):
    """PATCH: only the parts sent are changed (a list, such as ``efforts``, is replaced
    as a whole); the rest is kept from the latest version."""

    version: int = Field(
        ge=0, le=bounds.INT_MAX, description="Versionen ändringen bygger på; en äldre ger 409"
    )
    needs: list[str] | None = None
    long_term_goal: str | None = None
    short_term_goals: list[str] | None = None
    efforts: list[EffortIn] | None = None
    others_do: str | None = None
    responsible_organisation_id: UUID | None = None
    coordinator_username: str | None = None
    participants: str | None = None
    disagreements: str | None = None
    follow_up_on: PlannedDate | None = None
    child_words: str | None = None
    comment: str = ""


class MissingOut(Schema):
    organisation: str
    reason: str


class ConsentMissingOut(Schema):
    detail: str
    code: str
    missing: list[MissingOut]
