"""Every form field's label, help text and error messages are shown in the reader's
language: a plain Swedish string (or one translated with ``gettext`` when the module is
imported) stays Swedish on the English pages, and the translation check cannot see it
because nothing marks it. This test finds such texts in every form the product declares
(a field made in ``__init__`` is translated there, in the request's language)."""

import importlib
import pkgutil

import pytest
from django import forms
from django.utils.functional import Promise

import samverkan

# It does not use the configured database (imports the forms):
# CI runs it once (decision 0358).
pytestmark = pytest.mark.db_independent


def _product_modules():
    for module in pkgutil.walk_packages(samverkan.__path__, "samverkan."):
        name = module.name
        if ".tests" in name or ".migrations" in name or name.endswith("__main__"):
            continue
        if name.startswith("samverkan.config.settings"):
            continue  # settings modules, not forms (prod refuses to load without its env)
        yield importlib.import_module(name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_text_is_marked_for_translation():
    for _ in _product_modules():
        pass  # importing them declares their forms
    plain = []
    for form in set(_subclasses(forms.BaseForm)):
        if not form.__module__.startswith("samverkan.") or ".tests" in form.__module__:
            continue
        for name, field in getattr(form, "declared_fields", {}).items():
            texts = {"label": field.label, "help_text": field.help_text}
            texts |= {f"error {key}": text for key, text in field.error_messages.items()}
            for what, text in texts.items():
                if isinstance(text, str) and text and not isinstance(text, Promise):
                    plain.append(f"{form.__module__}.{form.__name__}.{name} {what}: {text!r}")
    assert not plain, "form texts not marked for translation (gettext_lazy):\n" + "\n".join(
        sorted(plain)
    )
