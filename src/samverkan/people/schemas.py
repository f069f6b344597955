import datetime
from uuid import UUID

from ninja import Schema


class ErrorOut(Schema):
    detail: str
    code: str
    field: str | None = None


class ChildSummaryOut(Schema):
    id: UUID
    personal_number: str
    first_name: str
    last_name: str
    date_of_birth: datetime.date
    age: int
    protected_identity: bool


class GuardianOut(Schema):
    id: UUID
    first_name: str
    last_name: str
    custody_type: str
    phone: str
    email: str


class EnrolmentOut(Schema):
    organisation: str
    school_year: str
    class_name: str
    start_date: datetime.date
    end_date: datetime.date | None


class InvolvementOut(Schema):
    id: UUID
    context: str
    unit: str | None
    started_at: datetime.datetime
    ended_at: datetime.datetime | None


class AddressOut(Schema):
    street_address: str
    postal_code: str
    city: str


class ChildOut(ChildSummaryOut):
    number_kind: str
    address: AddressOut | None
    guardians: list[GuardianOut]
    enrolments: list[EnrolmentOut]
    involvements: list[InvolvementOut]
    hidden: list[str]
    legal_ground: str
