"""Every choice a model offers is shown in the reader's language: its label is marked for
translation. A plain Swedish label (``"utkast", "Utkast"``) stays Swedish on the English
pages and in English exports, which the translation check cannot see because nothing
marks it; this test finds such labels in every installed model."""

import pytest
from django.apps import apps
from django.utils.functional import Promise

# It does not use the configured database (imports the models):
# CI runs it once (decision 0358).
pytestmark = pytest.mark.db_independent


def test_every_model_choice_label_is_marked_for_translation():
    plain = []
    for model in apps.get_models():
        if not model.__module__.startswith("samverkan."):
            continue
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or []:
                if value in (None, "") or isinstance(label, Promise):
                    continue
                plain.append(f"{model._meta.label}.{field.name}: {value!r} -> {label!r}")
    assert not plain, "labels not marked for translation (gettext_lazy):\n" + "\n".join(plain)
