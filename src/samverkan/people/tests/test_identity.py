"""Personnummer and samordningsnummer: valid numbers round-trip, bad ones get a clear
Swedish message wherever they are typed (the parser, the register form, the API)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum import luhn

from samverkan.core.errors import ValidationFailed
from samverkan.people import identity
from samverkan.people.models import Child

CHECKSUM = "Kontrollsiffran stämmer inte. Kontrollera att numret är rätt skrivet."
LENGTH = "Numret ska ha 10 eller 12 siffror, till exempel 20120315-1234."
DATE = "Datumdelen i numret är inte ett giltigt datum."
FUTURE = "Födelsedatumet ligger i framtiden."
FORMAT = "Numret får bara innehålla siffror och ett bindestreck före de fyra sista."


def number_for(birth: datetime.date, serial: int, *, coordination: bool = False) -> str:
    """12 digits with a correct check digit, computed with stdnum's luhn."""
    day = birth.day + (identity.COORDINATION_DAY_OFFSET if coordination else 0)
    nine = f"{birth:%y%m}{day:02d}{serial:03d}"
    return f"{birth:%Y%m}{day:02d}{serial:03d}{luhn.calc_check_digit(nine)}"


def _with_wrong_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


births = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date.today())
serials = st.integers(min_value=0, max_value=999)


@given(birth=births, serial=serials)
def test_valid_personnummer_round_trips(birth, serial):
    assume(birth <= timezone.localdate())
    number = number_for(birth, serial)
    for typed in (number, f"{number[:8]}-{number[8:]}", f" {number[:8]}-{number[8:]} "):
        parsed = identity.parse(typed)
        assert parsed.number == number
        assert parsed.kind == identity.PERSONNUMMER
        assert parsed.birth_date == birth
        assert parsed.display == f"{number[:8]}-{number[8:]}"
        assert identity.parse(parsed.display) == parsed


@given(birth=births, serial=serials)
def test_ten_digit_form_with_century_sign(birth, serial):
    today = timezone.localdate()
    assume(birth <= today)
    # stdnum cannot place the '+' right in the calendar year a person turns 100.
    assume(today.year - birth.year != 100)
    number = number_for(birth, serial)
    sign = "+" if today.year - birth.year > 100 else "-"
    assert identity.parse(f"{number[2:8]}{sign}{number[8:]}").number == number


@given(birth=births, serial=serials)
def test_valid_samordningsnummer_round_trips_with_day_plus_60(birth, serial):
    assume(birth <= timezone.localdate())
    number = number_for(birth, serial, coordination=True)
    parsed = identity.parse(number)
    assert parsed.kind == identity.SAMORDNINGSNUMMER
    assert parsed.number == number
    assert int(parsed.number[6:8]) == birth.day + 60
    assert parsed.birth_date == birth
    if timezone.localdate().year - birth.year < 100:  # see the ten-digit test
        assert identity.parse(f"{number[2:8]}-{number[8:]}").number == number


@given(birth=births, serial=serials, coordination=st.booleans())
def test_any_wrong_check_digit_is_refused(birth, serial, coordination):
    assume(birth <= timezone.localdate())
    wrong = _with_wrong_check_digit(number_for(birth, serial, coordination=coordination))
    with pytest.raises(ValidationFailed) as error:
        identity.parse(wrong)
    assert error.value.message == CHECKSUM
    assert error.value.field == "personal_number"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (_with_wrong_check_digit(number_for(datetime.date(2012, 3, 15), 123)), CHECKSUM),
        ("2012031512", CHECKSUM),
        ("20120315123", LENGTH),
        ("2012031512345", LENGTH),
        ("1234", LENGTH),
        ("abc", LENGTH),
        ("20120315_1234", FORMAT),
        ("20121315-1234", DATE),  # month 13
        ("20120230-1234", DATE),  # 30 February
        ("20120392-1234", DATE),  # day 92: not even a samordningsnummer
        ("", "Ange personnummer eller samordningsnummer."),
        ("   ", "Ange personnummer eller samordningsnummer."),
    ],
)
def test_bad_numbers_get_a_clear_swedish_message(typed, message):
    with pytest.raises(ValidationFailed) as error:
        identity.parse(typed)
    assert error.value.message == message
    assert error.value.status_code == 422


def test_future_birth_date_is_refused():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for number in (number_for(tomorrow, 1), number_for(tomorrow, 2, coordination=True)):
        with pytest.raises(ValidationFailed) as error:
            identity.parse(number)
        assert error.value.message == FUTURE


def test_born_today_is_accepted():
    today = timezone.localdate()
    assert identity.parse(number_for(today, 5)).birth_date == today


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (datetime.date(2012, 3, 15), datetime.date(2026, 3, 14), 13),
        (datetime.date(2012, 3, 15), datetime.date(2026, 3, 15), 14),
        (datetime.date(2012, 2, 29), datetime.date(2026, 2, 28), 13),
        (datetime.date(2012, 2, 29), datetime.date(2026, 3, 1), 14),
    ],
)
def test_age_on_birthdays(birth, day, age):
    assert identity.age_on(birth, day) == age


# Where users type numbers ----------------------------------------------------------------

BAD = _with_wrong_check_digit(number_for(datetime.date(2015, 6, 7), 2))


def test_register_form_shows_the_message_and_saves_nothing(world, login):
    before = Child.objects.count()
    response = login("frida").post(
        "/barn/registrera/",
        {
            "personal_number": BAD,
            "first_name": "Ny",
            "last_name": "Elev",
            "context": "education",
            "unit": "",
        },
    )
    assert response.status_code == 200
    assert CHECKSUM in response.text
    assert 'aria-invalid="true"' in response.text or "field-error" in response.text
    assert Child.objects.count() == before


def test_lookup_form_shows_the_message(world, login):
    response = login("frida").post(
        "/barn/registrera/", {"step": "lookup", "personal_number": "20121315-1234"}
    )
    assert response.status_code == 200
    assert DATE in response.text
    assert 'name="first_name"' not in response.text  # no registration form on a bad number


def test_list_search_shows_the_message(world, login):
    response = login("frida").post("/barn/", {"q": BAD})
    assert response.status_code == 200
    assert CHECKSUM in response.text


@pytest.mark.parametrize(
    ("typed", "message"),
    [(BAD, CHECKSUM), ("123", LENGTH), ("20121315-1234", DATE)],
)
def test_api_answers_422_with_detail(world, api, typed, message):
    response = api("frida").post(
        "/api/children/search", {"personnummer": typed}, content_type="application/json"
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == message
    assert body["field"] == "personal_number"


def test_register_future_number_in_form(world, login):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login("frida").post(
        "/barn/registrera/", {"step": "lookup", "personal_number": number_for(tomorrow, 7)}
    )
    assert FUTURE in response.text
