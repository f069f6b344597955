"""Migration concerns 0007 folds the start page's notices into the inbox (decision
0192), run for real on a new, empty scratch database of the suite's engine (a SQLite
file, or a PostgreSQL database when DATABASE_URL points there): migrated to just before
it, given unread and read notices and a deadline reminder through the models as they
were then, and migrated forward (notices_migration_run.py, in a process of its own).
django-test-migrations is not in the lock; this is the same thing with Django's own
MigrationExecutor."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest

from samverkan.conftest import _admin_sql


@pytest.fixture
def scratch_url(django_db_blocker, tmp_path):
    """DATABASE_URL of a new, empty database of the suite's engine; dropped afterwards."""
    from django.db import connection

    with django_db_blocker.unblock():
        base = dict(connection.settings_dict)
    if base["ENGINE"] == "django.db.backends.sqlite3":
        yield f"sqlite:///{tmp_path / 'migration.sqlite3'}"
        return
    name = f"samverkan_migration_{uuid.uuid4().hex[:10]}"
    _admin_sql(base, f'CREATE DATABASE "{name}"')
    auth = base["USER"] + (f":{base['PASSWORD']}" if base.get("PASSWORD") else "")
    host = f"{base.get('HOST') or '127.0.0.1'}:{base.get('PORT') or 5432}"
    try:
        yield f"postgres://{auth}@{host}/{name}"
    finally:
        _admin_sql(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_unread_notices_become_inbox_items_once(scratch_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMVERKAN_")}
    env["DATABASE_URL"] = scratch_url
    env["DJANGO_SETTINGS_MODULE"] = "samverkan.config.settings.test"
    env["SAMVERKAN_LOG_LEVEL"] = "WARNING"
    done = subprocess.run(
        [sys.executable, "-m", "samverkan.concerns.tests.notices_migration_run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    expected_vendor = "sqlite" if scratch_url.startswith("sqlite") else "postgresql"
    assert result["vendor"] == expected_vendor
    # Each unread notice became the item of the same meaning, for the same person; the
    # read notice and the deadline reminder did not (the sweep makes clock items).
    assert result["actual"] == result["expected"]
    assert len(result["actual"]) == 3
    # No text was carried: the items say nothing until they are read.
    for row in result["rows"]:
        assert "Nora" not in row and "anmälan" not in row.lower()
    assert result["notice_table"] is False
