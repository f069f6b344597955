"""Every number and date a person types is bounded in one place (core.bounds, the
fields in core.forms, the schema types) - issue 13 item 4: a twenty-digit version, a
booking in year 9999 and a consent from year 1 gave 500s or were stored."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.test import Client
from django.urls import reverse

from samverkan.core import bounds
from samverkan.core import forms as bounded
from samverkan.directory.services import token_create
from samverkan.meetings.models import Meeting
from samverkan.meetings.tests.factories import ForumFactory, convener_of
from samverkan.plans.tests.factories import sip_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("b", ["99999999999999999999", "-1", "9" * 5000, "1e3", "0x10", ""])
def test_comparing_with_a_version_number_out_of_range_is_not_found(b):
    world = sip_world()
    client = Client(raise_request_exception=False)
    client.force_login(world.holder.user)
    response = client.get(reverse("plans:compare", args=[world.plan.public_id]), {"a": 1, "b": b})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "starts_at", ["9999-12-31T23:30", "0001-01-01T10:00", "2099-06-01T10:00", "20000-01-01"]
)
def test_booking_a_meeting_outside_a_plausible_window_is_refused_and_keeps_the_times(starts_at):
    forum = ForumFactory()
    convener = convener_of(forum)
    client = Client(raise_request_exception=False)
    client.force_login(convener.user)
    response = client.post(
        reverse("meetings:book", args=[forum.public_id]),
        {"starts_at": starts_at, "duration_minutes": "90", "location": "Rum 3"},
        follow=True,
    )
    assert response.status_code == 200
    assert not Meeting.objects.filter(forum=forum).exists()
    refused = ("Datumet måste ligga mellan", "Skriv datum och tid som")
    assert any(reason in response.text for reason in refused)
    assert f'value="{starts_at}"' in response.text  # the typed time is kept
    assert 'value="Rum 3"' in response.text


def test_the_api_refuses_a_consent_from_year_one_and_a_plan_follow_up_in_2099():
    world = sip_world()
    _, token = token_create(actor=None, membership=world.holder)
    client = Client(headers={"Authorization": f"Bearer {token}"}, raise_request_exception=False)
    response = client.patch(
        f"/api/plans/{world.plan.public_id}",
        {"version": world.plan.version, "follow_up_on": "2099-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "Datumet måste ligga mellan" in str(response.json())
    response = client.patch(
        f"/api/plans/{world.plan.public_id}",
        {"version": 99999999999999999999},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_parse_int_takes_only_plausible_whole_numbers():
    assert bounds.parse_int("12") == 12
    assert bounds.parse_int(" 7 ") == 7
    for raw in (None, "", "abc", "99999999999999999999", "-1", "1.5", "٣" * 30):
        assert bounds.parse_int(raw) is None


def _forms():
    for config in apps.get_app_configs():
        if not config.name.startswith("samverkan."):
            continue
        for module_name in ("forms", "admin_forms", "plan_forms", "views", "plan_views"):
            try:
                module = importlib.import_module(f"{config.name}.{module_name}")
            except ModuleNotFoundError:
                continue
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def test_every_date_and_number_field_of_every_form_is_bounded():
    unbounded = []
    seen = 0
    for form in _forms():
        for name, field in form.base_fields.items():
            seen += 1
            if isinstance(field, forms.DateTimeField | forms.DateField) and not isinstance(
                field, bounded.DateField | bounded.DateTimeField
            ):
                unbounded.append(f"{form.__module__}.{form.__name__}.{name}")
            if isinstance(field, forms.ModelChoiceField) and not isinstance(
                field, bounded.ModelChoiceField | bounded.ModelMultipleChoiceField
            ):
                unbounded.append(f"{form.__module__}.{form.__name__}.{name}")
            if isinstance(field, forms.IntegerField) and (
                field.min_value is None or field.max_value is None
            ):
                unbounded.append(f"{form.__module__}.{form.__name__}.{name}")
    assert seen > 100
    assert not unbounded, unbounded


def test_forms_and_schemas_take_their_lengths_from_core_bounds():
    """A length is a named bound (core/bounds.py), not a number typed in a form, a
    schema or a service, so that the same kind of value has the same bound everywhere."""
    package = Path(__file__).resolve().parents[2]
    typed = []
    for path in package.rglob("*.py"):
        parts = set(path.relative_to(package).parts)
        if parts & {"migrations", "tests"} or path.name.endswith("models.py"):
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if re.search(r"max_length=\d", line):
                typed.append(f"{path.relative_to(package)}:{number}")
    assert not typed, typed
