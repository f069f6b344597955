import datetime
from uuid import UUID

from ninja import Field, Schema

from samverkan.core.schemas import InputSchema


class DeadlineOut(Schema):
    kind: str
    due: datetime.date
    status: str


class EntryOut(Schema):
    id: UUID
    kind: str
    statement: str
    text: str
    created_at: datetime.datetime
    legal_ground: str


class ContentOut(Schema):
    worry: str
    observations: str
    child_words: str
    urgency: str
    guardians_informed: str
    do_not_inform_guardians: bool
    reporter_name: str
    reporter_phone: str
    reporter_email: str


class ConcernOut(Schema):
    id: UUID
    reference: str
    role: str = Field(description="intake (socialtjänsten) eller reporter (anmälande sida)")
    status: str
    channel: str
    received_at: datetime.datetime
    child_id: UUID | None
    child_name: str
    reported_child: str = Field(
        description="Barnet som anmälaren angav det, när barnet inte fanns i dennes register"
    )
    reporter_organisation: str
    handler: str
    deadlines: list[DeadlineOut]
    duplicate_flag: bool
    content: ContentOut | None = Field(
        description="Anmälans innehåll; för anmälaren bara egna anmälningar"
    )
    entries: list[EntryOut]
    legal_ground: str


class ConcernIn(InputSchema):
    child_id: UUID | None = Field(None, description="Ett barn i den egna verksamhetens register")
    personal_number: str = Field(
        "",
        description="I stället för child_id: barnets personnummer. Finns barnet inte i "
        "verksamhetens register följer numret och namnet med anmälan.",
    )
    child_first_name: str = ""
    child_last_name: str = ""
    worry: str
    observations: str = ""
    child_words: str = ""
    urgency: str = "normal"
    guardians_informed: str = "unknown"
    do_not_inform_guardians: bool = False
    do_not_inform_reason: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""


class FeedbackIn(InputSchema):
    statement: str = Field(
        "",
        description="Kod ur återkopplingskatalogen: ett påstående som stämmer med ärendet "
        "just nu (lag, kommunens lista över harmlösa uppgifter, annars samtycke)",
    )
    text: str = Field("", description="Fri text; kräver samtycke för syftet återkoppling")
    category: str = "insatser"
    in_reply_to: UUID | None = None


class AdditionIn(InputSchema):
    kind: str = Field("addition", description="addition, correction eller question")
    text: str


class IdentifyIn(InputSchema):
    personal_number: str
    first_name: str = ""
    last_name: str = ""
    note: str = ""
