"""Two of the product's apps must never define the same management command: Django then
runs one of them silently (consent's `grants` once hid the documented `samverkan grants`
that makes the audit log append-only for the application role)."""

from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps

# It does not use the configured database (reads the commands):
# CI runs it once (decision 0358).
pytestmark = pytest.mark.db_independent


def test_no_two_apps_define_the_same_command():
    names = Counter()
    for config in apps.get_app_configs():
        if not config.name.startswith("samverkan."):
            continue
        folder = Path(config.path) / "management" / "commands"
        if folder.is_dir():
            names.update(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_"))
    assert names, "no commands found: the scan is broken"
    assert [name for name, count in names.items() if count > 1] == []
