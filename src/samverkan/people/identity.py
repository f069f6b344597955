"""Swedish personal identity numbers: personnummer and samordningsnummer, validated
with python-stdnum and normalised to 12 digits (ÅÅÅÅMMDDNNNN)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum import luhn
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)
from stdnum.se import personnummer

from samverkan.core.errors import ValidationFailed

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"
COORDINATION_DAY_OFFSET = 60

_MESSAGES = {
    InvalidLength: gettext_lazy("Numret ska ha 10 eller 12 siffror, till exempel 20120315-1234."),
    InvalidFormat: gettext_lazy(
        "Numret får bara innehålla siffror och ett bindestreck före de fyra sista."
    ),
    InvalidComponent: gettext_lazy("Datumdelen i numret är inte ett giltigt datum."),
    InvalidChecksum: (
        gettext_lazy("Kontrollsiffran stämmer inte. Kontrollera att numret är rätt skrivet.")
    ),
}


@dataclass(frozen=True)
class IdentityNumber:
    number: str  # 12 digits
    kind: str
    birth_date: datetime.date

    @property
    def display(self) -> str:
        return f"{self.number[:8]}-{self.number[8:]}"


def _swap_day(compact: str, offset: int) -> str:
    # compact is ÅÅÅÅMMDD-NNNN or ÅÅMMDD-NNNN; the day is the two digits before "-"
    head, tail = compact[:-7], compact[-7:]
    day = int(tail[:2]) + offset
    return f"{head}{day:02d}{tail[2:]}"


def parse(raw: str) -> IdentityNumber:
    """Validate and normalise; raise ``ValidationFailed`` with a Swedish message."""
    text = (raw or "").strip()
    if not text:
        raise ValidationFailed(
            _("Ange personnummer eller samordningsnummer."), field="personal_number"
        )
    try:
        compact = personnummer.compact(text)
        # Count the digits, not the characters: eleven digits typed without a dash
        # are a length error, not a format error.
        if len(compact) not in (11, 13) or sum(ch.isdigit() for ch in compact) not in (10, 12):
            raise InvalidLength()
        digits = compact[:-5] + compact[-4:]
        if compact[-5] not in "-+" or not digits.isdigit():
            raise InvalidFormat()
        if int(compact[-7:-5]) > COORDINATION_DAY_OFFSET:
            # A samordningsnummer: a personnummer with 60 added to the day. The check
            # digit is computed over the number as written.
            kind = SAMORDNINGSNUMMER
            birth_date = personnummer.get_birth_date(_swap_day(compact, -COORDINATION_DAY_OFFSET))
            luhn.validate(digits[-10:])
        else:
            kind = PERSONNUMMER
            personnummer.validate(compact)
            birth_date = personnummer.get_birth_date(compact)
    except ValidationError as exc:
        message = next(
            (msg for cls, msg in _MESSAGES.items() if isinstance(exc, cls)),
            _("Numret är inte ett giltigt personnummer eller samordningsnummer."),
        )
        raise ValidationFailed(message, field="personal_number") from exc
    if birth_date > timezone.localdate():
        raise ValidationFailed(_("Födelsedatumet ligger i framtiden."), field="personal_number")
    serial = compact[-4:]
    day = birth_date.day + (COORDINATION_DAY_OFFSET if kind == SAMORDNINGSNUMMER else 0)
    number = f"{birth_date.year:04d}{birth_date.month:02d}{day:02d}{serial}"
    return IdentityNumber(number=number, kind=kind, birth_date=birth_date)


def age_on(birth_date: datetime.date, day: datetime.date | None = None) -> int:
    day = day or timezone.localdate()
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
