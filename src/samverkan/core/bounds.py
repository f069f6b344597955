"""Bounds for every value a person types: text lengths, numbers and dates, in one place.

Forms, API schemas and services all check against these, so a 1 MB text, a year 9999
or a twenty-digit id is refused with a clear message before it reaches a regex, a
database driver or a date calculation. Models use the same lengths for ``max_length``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import ValidationFailed

# Text lengths in characters.
TEXT_CODE = 50  # codes, slugs
TEXT_NAME = 200  # names, titles, short labels
TEXT_LINE = 500  # one line of free text (a heading, an address line, a short note)
TEXT_PARAGRAPH = 4_000  # a paragraph (a reason, a comment, a question)
TEXT_DOCUMENT = 50_000  # a long text (minutes, a report's description, a routine's body)
TEXT_INDEX = 200_000  # text the product derives from several long texts (a search index)
# Lengths of particular kinds of value (forms and schemas use these, never a number).
POSTAL_CODE = 6  # "123 45"
ONE_TIME_CODE = 12  # a code from an authenticator app, with spaces
IDENTITY_NUMBER = 13  # a personnummer written YYYYMMDD-NNNN
NUMBER_AS_TYPED = 20  # a personnummer or a figure as people type it (spaces, dashes, %)
TEXT_SHORT = 40  # a telephone number, a class, a period ("2025/2026")
TEXT_IDENTIFIER = 64  # an identifier from another system (an HSA-id)
TEXT_PERSON_NAME = 100  # a person's first or last name, a city
TEXT_USERNAME = 150  # a user name, and a staff member's names (Django's user model)
TEXT_EMAIL = 254  # an e-mail address (RFC 5321)
TEXT_LABEL = 300  # a short label people write: a place, an effort's title, a comment
TEXT_NOTE = 2_000  # a note or a reason given with a change
TEXT_ACCOUNT = 8_000  # an account of a worry, a decision's grounds

# Integers the database stores in a 32-bit column (ids, counts, years, versions).
INT_MAX = 2_147_483_647


@dataclass(frozen=True)
class DateWindow:
    """A plausible window for a date, relative to today: ``past`` and ``future`` are
    how many days before and after today are accepted."""

    past_days: int
    future_days: int

    def bounds(self, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
        today = today or timezone.localdate()
        return (
            today - datetime.timedelta(days=self.past_days),
            today + datetime.timedelta(days=self.future_days),
        )


# A child's date of birth: a child or young person (under 21) and not in the future.
BIRTH_OF_CHILD = DateWindow(past_days=21 * 366, future_days=0)
# Something that happened (an observation, a meeting held): within the last 20 years.
PAST_EVENT = DateWindow(past_days=20 * 366, future_days=0)
# A planned date (a follow-up, a meeting, a deadline, a consent's end): up to 5 years on,
# and up to a year back for records entered after the fact.
PLANNED = DateWindow(past_days=366, future_days=5 * 366)
# Any date at all that the product stores (the widest window; parsing guard).
ANY_DATE = DateWindow(past_days=130 * 366, future_days=50 * 366)


def check_text(value: str | None, *, max_length: int, field: str | None = None) -> str:
    """Refuse a text longer than ``max_length`` characters, or one with NUL characters
    (which PostgreSQL cannot store)."""
    value = value or ""
    if len(value) > max_length:
        raise ValidationFailed(
            _("Texten är för lång: högst %(max_length)s tecken (nu %(value)s).")
            % {"max_length": max_length, "value": len(value)},
            field=field,
        )
    if "\x00" in value:
        raise ValidationFailed(_("Texten innehåller otillåtna tecken."), field=field)
    return value


def check_date(
    value: datetime.date | None,
    *,
    window: DateWindow,
    field: str | None = None,
    today: datetime.date | None = None,
) -> datetime.date | None:
    """Refuse a date outside ``window``; ``None`` passes (required-ness is the form's
    business)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    earliest, latest = window.bounds(today)
    if not earliest <= value <= latest:
        raise ValidationFailed(
            _("Datumet måste ligga mellan %(earliest)s och %(latest)s.")
            % {"earliest": format(earliest, "%Y-%m-%d"), "latest": format(latest, "%Y-%m-%d")},
            field=field,
        )
    return value


def check_int(value: int | None, *, low: int = 0, high: int = INT_MAX, field: str | None = None):
    if value is None:
        return None
    if not low <= value <= high:
        raise ValidationFailed(
            _("Talet måste ligga mellan %(low)s och %(high)s.") % {"low": low, "high": high},
            field=field,
        )
    return value


# Dates recorded about the past or near future (an enrolment's start, an effort's
# period, a log period): 20 years back, a year on.
RECORDED = DateWindow(past_days=20 * 366, future_days=366)


def parse_int(raw: object, *, low: int = 0, high: int = INT_MAX) -> int | None:
    """A whole number from a query or form parameter: ``None`` when it is missing, not a
    number, or outside ``low`` to ``high`` (a 20-digit id never reaches the database)."""
    text = str(raw if raw is not None else "").strip()
    if not text or len(text) > len(str(high)) + 1:
        return None
    try:
        value = int(text)
    except ValueError:
        return None
    return value if low <= value <= high else None


def schema_date(window: DateWindow):
    """An API schema's date type bounded by ``window`` (pydantic: 422 with the message)."""
    from typing import Annotated

    from pydantic import AfterValidator

    def _check(value):
        if value is None:
            return value
        try:
            check_date(value, window=window)
        except ValidationFailed as exc:
            raise ValueError(exc.message) from exc
        return value

    return Annotated[datetime.date, AfterValidator(_check)]


def schema_datetime(window: DateWindow):
    """An API schema's date and time bounded by ``window``."""
    from typing import Annotated

    from pydantic import AfterValidator

    def _check(value):
        if value is None:
            return value
        try:
            check_date(value, window=window)
        except ValidationFailed as exc:
            raise ValueError(exc.message) from exc
        return value

    return Annotated[datetime.datetime, AfterValidator(_check)]


# An uploaded file (an agreement's attachment), in bytes; stored in the database.
FILE_UPLOAD_BYTES = 10 * 1024 * 1024

# A whole request's body (Content-Length), refused with 413 before anything reads it
# (core.request_size, decision 0290). Any form or API call: its fields' data may be at
# most DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), so 3 MB leaves room for the multipart
# framing. A route that takes a file (``request_size.allow_upload``): the file's
# FILE_UPLOAD_BYTES plus 1 MB for the form's other fields and the framing.
REQUEST_BODY_BYTES = 3 * 1024 * 1024
UPLOAD_REQUEST_BODY_BYTES = FILE_UPLOAD_BYTES + 1024 * 1024
