"""Every text has a bound (issue 13 item 1): every text column of every model, every
text field of every form and every string of every API input, from core.bounds."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from django.core.validators import MaxLengthValidator
from django.db import models
from django.test import Client
from ninja import Schema

from samverkan.concerns.models import Report
from samverkan.concerns.tests.factories import report_world
from samverkan.core import bounds
from samverkan.core.schemas import InputSchema
from samverkan.directory.services import token_create
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory


def _own_models():
    return [m for m in apps.get_models() if m.__module__.startswith("samverkan.")]


def _bound(field) -> int | None:
    if field.max_length is not None:
        return field.max_length
    limits = [v.limit_value for v in field.validators if isinstance(v, MaxLengthValidator)]
    return min(limits) if limits else None


def test_every_text_column_of_every_model_is_bounded():
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for model in _own_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField) and _bound(field) is None
    ]
    assert not unbounded, unbounded
    longest = max(
        _bound(f)
        for m in _own_models()
        for f in m._meta.get_fields()
        if isinstance(f, models.CharField | models.TextField)
    )
    assert longest <= bounds.TEXT_INDEX


def _modules(*names):
    for config in apps.get_app_configs():
        if config.name.startswith("samverkan."):
            for name in names:
                try:
                    yield importlib.import_module(f"{config.name}.{name}")
                except ModuleNotFoundError:
                    continue


def test_every_text_field_of_every_form_is_bounded():
    unbounded = []
    for module in _modules("forms", "admin_forms", "views"):
        for _, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or form.__module__ != module.__name__:
                continue
            fields = form().fields if form.__name__ == "LoginForm" else form.base_fields
            unbounded += [
                f"{form.__module__}.{form.__name__}.{name}"
                for name, field in fields.items()
                if isinstance(field, forms.CharField)
                and not isinstance(field, forms.UUIDField)  # bounded by its format
                and field.max_length is None
            ]
    assert not unbounded, unbounded


def test_every_api_input_schema_bounds_its_texts():
    loose = []
    for module in _modules("schemas", "api"):
        for name, schema in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(schema, Schema)
                and schema.__module__ == module.__name__
                and not name.endswith("Out")
                and not issubclass(schema, InputSchema)
            ):
                loose.append(f"{module.__name__}.{name}")
    assert not loose, loose
    assert InputSchema.model_config["str_max_length"] == bounds.TEXT_DOCUMENT


@pytest.mark.django_db
def test_a_megabyte_report_through_the_api_is_refused_and_not_stored():
    world = report_world()
    child = ChildFactory()
    InvolvementFactory(child=child, organisation=world.school)
    _, token = token_create(actor=None, membership=world.teacher)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    for field in ("worry", "observations", "reporter_phone", "child_first_name"):
        body = {"child_id": str(child.public_id), "worry": "Oro.", "reporter_phone": "0123"}
        body[field] = "a" * 1_000_000  # 1 MB (within the upload limit of 2.5 MB)
        response = client.post("/api/concerns", body, content_type="application/json")
        assert response.status_code == 422, field
    assert not Report.objects.filter(child=child).exists()
