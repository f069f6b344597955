"""Form fields bounded by core.bounds, one definition for every form: a date outside
its plausible window, a number outside its range or a year 9999 is refused with a
Swedish message next to the field instead of reaching a date calculation or the
database (issue 13 item 4). ``core/tests/test_bounds.py`` keeps every form using them."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from . import bounds
from .errors import ValidationFailed


def _within(value, window: bounds.DateWindow):
    try:
        bounds.check_date(value, window=window)
    except ValidationFailed as exc:
        raise forms.ValidationError(exc.message, code="out_of_window") from exc


class DateField(forms.DateField):
    """A date within ``window`` (a ``bounds.DateWindow``)."""

    default_error_messages = {"invalid": gettext_lazy("Ange ett giltigt datum (ÅÅÅÅ-MM-DD).")}

    def __init__(self, *, window: bounds.DateWindow, **kwargs):
        self.window = window
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except (OverflowError, ValueError) as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def validate(self, value):
        super().validate(value)
        if value is not None:
            _within(value, self.window)


class DateTimeField(forms.DateTimeField):
    """A date and time within ``window``; a year 9999 never reaches ``make_aware``."""

    default_error_messages = {"invalid": gettext_lazy("Ange ett giltigt datum och en giltig tid.")}

    def __init__(self, *, window: bounds.DateWindow, **kwargs):
        self.window = window
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            try:
                parsed = datetime.datetime.fromisoformat(value.strip())
            except ValueError:
                parsed = None
            if parsed is not None:  # refuse before the time zone arithmetic can overflow
                _within(parsed.date(), bounds.ANY_DATE)
        try:
            return super().to_python(value)
        except (OverflowError, ValueError) as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def validate(self, value):
        super().validate(value)
        if value is not None:
            _within(timezone.localtime(value) if timezone.is_aware(value) else value, self.window)


class IntegerField(forms.IntegerField):
    """A whole number within ``min_value`` to ``max_value`` (by default 0 and the largest
    the database's integer columns hold)."""

    def __init__(self, *, min_value: int = 0, max_value: int = bounds.INT_MAX, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)


def _refuse_out_of_range(field: forms.ModelChoiceField, values) -> None:
    """A choice is an id the page gave: a number beyond what the id column holds is no
    choice at all, refused before it reaches the database (where SQLite overflows)."""
    for value in values:
        text = str(value).strip()
        if text.lstrip("-").isdigit() and abs(int(text)) > bounds.INT_MAX:
            raise forms.ValidationError(
                field.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": text},
            )


class ModelChoiceField(forms.ModelChoiceField):
    """A record chosen from a list; an id out of range is an invalid choice."""

    def to_python(self, value):
        if value not in self.empty_values:
            _refuse_out_of_range(self, [value])
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Records chosen from a list; an id out of range is an invalid choice."""

    def _check_values(self, value):
        try:
            _refuse_out_of_range(self, value)
        except forms.ValidationError as exc:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params=exc.params
            ) from exc
        return super()._check_values(value)


def needed_when(field: forms.Field, condition) -> forms.Field:
    """A field that is needed only in some cases ("krävs om barnet inte finns i
    registret"): not required by the browser, and not marked "(frivilligt)" either;
    ``web/field.html`` shows the condition in the label instead."""
    field.required = False
    field.needed_when = condition
    return field


def add_domain_error(form: forms.Form, error) -> None:
    """Show a service's refusal (a ``core.errors.DomainError``) on ``form``: at the field
    it names when the form has that field, otherwise above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
