"""``get_<field>_display()`` of the models with ``ChoiceLabels`` (decision 0372) gives
what Django's own gives, for every choice of every field, in Swedish and English."""

from __future__ import annotations

from unittest import mock

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from samverkan.core.models import ChoiceLabels
from samverkan.people.models import Custody


def _fields_with_choices():
    for model in apps.get_models():
        if not issubclass(model, ChoiceLabels):
            continue
        for field in model._meta.concrete_fields:
            if field.choices:
                yield model, field


def test_every_label_is_djangos_in_both_languages():
    checked = 0
    for model, field in _fields_with_choices():
        instance = model()
        values = [value for value, _label in field.flatchoices] + ["no-such-choice", None]
        for language in ["sv", "en", "sv"]:
            with translation.override(language):
                for value in values:
                    setattr(instance, field.attname, value)
                    ours = getattr(instance, f"get_{field.name}_display")()
                    djangos = models.Model._get_FIELD_display(instance, field)
                    assert ours == djangos and type(ours) is type(djangos), (model, field, value)
                    checked += 1
    assert checked > 300  # the overview's (custody, source, kind, context) among them


def test_a_label_follows_the_language_and_new_choices():
    custody = Custody(custody_type="gemensam")
    field = Custody._meta.get_field("custody_type")
    with translation.override("sv"):
        assert custody.get_custody_type_display() == "Gemensam vårdnad"
    with translation.override("en"):
        assert custody.get_custody_type_display() == "Joint custody"
    kept = field.choices
    try:
        field.choices = [("gemensam", "Delad")]
        assert custody.get_custody_type_display() == "Delad"
    finally:
        field.choices = kept
    assert custody.get_custody_type_display() == "Gemensam vårdnad"


@pytest.mark.parametrize("value", ["gemensam", "ensam"])
def test_callable_choices_take_djangos_path(value):
    field = Custody._meta.get_field("custody_type")
    kept = field.choices
    try:
        field.choices = lambda: [("gemensam", "Ett"), ("ensam", "Två")]
        assert (
            Custody(custody_type=value).get_custody_type_display()
            == {
                "gemensam": "Ett",
                "ensam": "Två",
            }[value]
        )
    finally:
        field.choices = kept


def test_the_choices_are_made_into_a_mapping_once_per_field():
    field = Custody._meta.get_field("custody_type")
    field.__dict__.pop("_samverkan_choice_labels", None)
    flat = field.flatchoices
    custody = Custody(custody_type="ensam")
    with mock.patch.object(
        type(field), "flatchoices", new_callable=mock.PropertyMock, return_value=flat
    ) as asked:
        labels = {custody.get_custody_type_display() for _ in range(10)}
    assert labels == {"Ensam vårdnad"}
    assert asked.call_count == 1
