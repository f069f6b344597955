import datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from samverkan.core import bounds
from samverkan.core.schemas import InputSchema


class OrganisationOut(Schema):
    id: UUID
    name: str


class ForumOut(Schema):
    id: UUID
    name: str
    level: str
    cadence: str
    convener_organisation: OrganisationOut
    convener_function: str
    organisations: list[OrganisationOut]
    functions: list[str]
    purpose: str
    goals: str
    target_group: str
    min_age: int | None
    max_age: int | None
    way_of_working: str


class AttendanceOut(Schema):
    organisation: OrganisationOut
    present: bool | None
    participants: str


class ItemOut(Schema):
    id: UUID
    kind: str
    visible: bool
    title: str = Field(description="Tom när ärendet inte kan visas för anroparens verksamhet.")
    text: str
    author_organisation: OrganisationOut
    child_id: UUID | None = None
    child_name: str = ""
    decision: str
    reason: str = ""


class ActionOut(Schema):
    id: UUID
    text: str
    responsible_organisation: OrganisationOut
    responsible_function: str
    responsible_person: str
    due_date: datetime.date
    status: str
    carried_over: bool


class MeetingOut(Schema):
    id: UUID
    forum: OrganisationOut
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    location: str
    status: str
    minutes: str
    minutes_approved_at: datetime.datetime | None
    attendances: list[AttendanceOut]
    items: list[ItemOut]
    actions: list[ActionOut]
    corrections: list[str]
    legal_ground: str


class ItemIn(InputSchema):
    kind: Literal["general", "anonymised", "identified"] = Field(
        description="Allmän fråga, avidentifierad ärendekonsultation eller ärende med namn"
    )
    title: str = Field(min_length=1, max_length=bounds.TEXT_NAME, pattern=r"\S")
    text: str = Field("", max_length=bounds.TEXT_DOCUMENT)
    child_id: UUID | None = Field(None, description="Krävs för identified")
    category: Literal["", "skolsituation", "halsa", "social_situation", "insatser"] = Field(
        "", description="Krävs för identified: vilka uppgifter som tas upp"
    )
    reviewed: bool = Field(
        False,
        description="Författaren har bedömt att ingen kan känna igen barnet (efter en "
        "varning om liten grupp, kod small_group)",
    )


class FindingOut(Schema):
    field: str = Field(description="Fältet: title eller text")
    start: int
    end: int
    text: str
    kind: str
    severity: str = Field(description="error (stoppar) eller warning (kan bekräftas)")
    message: str


class ItemErrorOut(Schema):
    detail: str
    code: str
    field: str | None = None
    findings: list[FindingOut] = []
    reasons: list[str] = []
