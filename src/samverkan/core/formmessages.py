"""Form errors in plain Swedish, set in one place (issue 13 item 15).

Django's own messages say "Detta fält måste fyllas i." beside a field, without saying
which, and "Ange ett giltigt datum." without saying how. After a form is cleaned,
``install`` (called once from CoreConfig.ready) replaces Django's *default* messages
for a missing or malformed value with messages that name the field and say how to
write it: "Skriv barnets personnummer.", "Välj brådska.", "Skriv datumet som
ÅÅÅÅ-MM-DD, till exempel 2026-03-14." A message a form or field sets itself is kept.
The typed input stays in the bound form, so the page shows it again.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import pretty_name
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Messages for malformed values, by field class (the first class in the field's MRO
# that is listed) and error code.
INVALID = {
    (forms.DateTimeField, "invalid"): gettext_lazy(
        "Skriv datum och tid som ÅÅÅÅ-MM-DD TT:MM, till exempel 2026-03-14 09:30."
    ),
    (forms.DateField, "invalid"): gettext_lazy(
        "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-14."
    ),
    (forms.TimeField, "invalid"): gettext_lazy("Skriv tiden som TT:MM, till exempel 14:30."),
    (forms.IntegerField, "invalid"): gettext_lazy("Skriv ett heltal med siffror, till exempel 3."),
    (forms.DecimalField, "invalid"): gettext_lazy("Skriv ett tal med siffror, till exempel 2,5."),
    (forms.FloatField, "invalid"): gettext_lazy("Skriv ett tal med siffror, till exempel 2,5."),
    (forms.EmailField, "invalid"): gettext_lazy(
        "Skriv en e-postadress, till exempel namn@kommun.se."
    ),
    (forms.URLField, "invalid"): gettext_lazy(
        "Skriv en webbadress, till exempel https://www.kommun.se."
    ),
    (forms.UUIDField, "invalid"): gettext_lazy("Värdet känns inte igen. Välj på nytt."),
    (forms.ModelMultipleChoiceField, "invalid_choice"): gettext_lazy(
        "Något av det du valde finns inte längre. Välj på nytt."
    ),
    (forms.ModelChoiceField, "invalid_choice"): gettext_lazy(
        "Det du valde finns inte längre. Välj på nytt."
    ),
    (forms.MultipleChoiceField, "invalid_choice"): gettext_lazy("Välj bland alternativen."),
    (forms.ChoiceField, "invalid_choice"): gettext_lazy("Välj ett av alternativen."),
}

_CHOOSE = (forms.ChoiceField, forms.ModelChoiceField, forms.FileField)
_GIVE = (forms.DateField, forms.DateTimeField, forms.TimeField, forms.DurationField)


def _label(field: forms.Field, name: str) -> str:
    label = str(field.label if field.label is not None else pretty_name(name)).strip()
    for suffix in (_("(frivilligt)"), ":"):
        label = label.removesuffix(suffix).strip()
    return label


def _lower_first(label: str) -> str:
    # "SIP-samordnare" and "BUP" keep their capitals; "Barnets personnummer" does not.
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def required_message(field: forms.Field, name: str) -> str:
    label = _label(field, name)
    if isinstance(field, forms.BooleanField):
        return _("Kryssa i ”%(label)s”.") % {"label": label}
    if label.endswith("?"):
        return _("Skriv svaret på ”%(label)s”.") % {"label": label}
    if isinstance(field, _CHOOSE):
        return _("Välj %(label)s.") % {"label": _lower_first(label)}
    if isinstance(field, _GIVE):
        return _("Ange %(label)s.") % {"label": _lower_first(label)}
    return _("Skriv %(label)s.") % {"label": _lower_first(label)}


def _django_defaults(field: forms.Field, code: str) -> list:
    """Django's own messages for ``code``: the field class's default and its default
    validators' (EmailField and URLField say "invalid" through a validator)."""
    found = []
    for cls in type(field).__mro__:
        message = getattr(cls, "default_error_messages", {}).get(code)
        if message is not None:
            found.append(message)
            break
    for validator in getattr(field, "default_validators", []):
        if getattr(validator, "code", None) == code and getattr(validator, "message", None):
            found.append(validator.message)
    return found


def _plain(field: forms.Field, name: str, error: ValidationError) -> ValidationError | None:
    code = getattr(error, "code", None)
    if code not in ("required", "invalid", "invalid_choice"):
        return None
    # Only Django's own default: a message the form or field chose stays.
    if str(error.message) not in {str(m) for m in _django_defaults(field, code)}:
        return None
    if code == "required":
        return ValidationError(required_message(field, name), code=code)
    for cls in type(field).__mro__:
        message = INVALID.get((cls, code))
        if message is not None:
            return ValidationError(message, code=code)
    return None


def plain_errors(form: forms.BaseForm) -> None:
    for name, error_list in (getattr(form, "_errors", None) or {}).items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            continue
        field = form.fields[name]
        for index, error in enumerate(list(error_list.data)):
            if isinstance(error, ValidationError):
                replacement = _plain(field, name, error)
                if replacement is not None:
                    error_list.data[index] = replacement


def install() -> None:
    if getattr(forms.BaseForm.full_clean, "_samverkan_plain", False):
        return
    original = forms.BaseForm.full_clean

    def full_clean(self):
        original(self)
        plain_errors(self)

    full_clean._samverkan_plain = True
    forms.BaseForm.full_clean = full_clean
