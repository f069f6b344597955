import datetime
from uuid import UUID

from ninja import Field, Schema


class OrganisationOut(Schema):
    id: UUID
    name: str
    called: bool
    acknowledged_at: datetime.datetime | None
    unit: str


class EffortOut(Schema):
    key: str
    title: str
    organisation: str
    responsible: str
    starts_on: str
    ends_on: str
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
    responsible_organisation: str
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


class PlanStartIn(Schema):
    child_id: UUID
    called: list[UUID] = Field(description="Kallade verksamheter (utöver den egna)")
    purpose: str
    question: str
    long_term_goal: str = ""
    meeting_at: datetime.datetime | None = None
    meeting_place: str = ""
    video_link: str = ""
    invited: list[str] = Field(default=[], description="Inbjudna aktörer, fritext")


class EffortIn(Schema):
    key: str = ""
    title: str
    organisation_id: UUID
    responsible: str
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    status: str = "not_started"


class PlanSaveIn(Schema):
    version: int = Field(description="Versionen ändringen bygger på; en äldre ger 409")
    needs: list[str] = []
    long_term_goal: str = ""
    short_term_goals: list[str] = []
    efforts: list[EffortIn] = []
    others_do: str = ""
    responsible_organisation_id: UUID | None = None
    coordinator_username: str | None = None
    participants: str = ""
    disagreements: str = ""
    follow_up_on: datetime.date
    child_words: str = ""
    comment: str = ""


class MissingOut(Schema):
    organisation: str
    reason: str


class ConsentMissingOut(Schema):
    detail: str
    code: str
    missing: list[MissingOut]
