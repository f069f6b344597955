"""Test settings: the same database engine as configured (SQLite by default,
PostgreSQL when DATABASE_URL points there), fast hashing."""

import os

from .base import *

# Signs nothing outside the test run.
SECRET_KEY = "test-only-key"  # nosec B105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if "DATABASE_URL" not in os.environ:
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["OPTIONS"].pop("init_command", None)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
SAMVERKAN["SHOW_DEMO_USERS"] = True
SAMVERKAN["PASSWORD_LOGIN_DEFAULT"] = True
# The demo's published password for its fictional users.
SAMVERKAN["DEMO_PASSWORD"] = "samverkan-demo"  # nosec B105
# Off for the suite as a whole; the two-factor tests turn it on with the settings fixture.
SAMVERKAN["REQUIRE_2FA"] = False
# No witness of the audit chain unless a test sets one (audit/tests/test_witness.py):
# every test starts a new chain.
SAMVERKAN["AUDIT_WITNESS_FILE"] = ""
SAMVERKAN["AUDIT_WITNESS_SYSLOG"] = False
# A second, empty database for the backup tests to restore into (web/tests/test_backup.py).
# pytest-django creates it (migrated, without the demo world) only when a test asks for it.
DATABASES["restore"] = {
    **DATABASES["default"],
    "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
    "TEST": {},
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["restore"]["NAME"] = f"{DATABASES['default']['NAME']}_restore"
# The read replica (samverkan.core.replicas): in the tests a mirror of the default
# database, that is a second connection to it, used only where a test turns
# SAMVERKAN["READ_REPLICA"] on (core/tests/test_replicas.py).
DATABASES["replica"] = {
    **DATABASES["default"],
    "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
    "TEST": {"MIRROR": "default"},
}
# The demo's population register: a file of fictional people (docs/decisions/0150).
SAMVERKAN["POPULATION_REGISTER"] = os.environ.get(
    "SAMVERKAN_POPULATION_REGISTER", f"file:{PACKAGE_DIR / 'demo' / 'data' / 'folkbokforing.json'}"
)
# Abuse limits (core/limits.py): the API's are off for the suite (the API tests and
# schemathesis call it thousands of times with one token); the tests of the limits set
# them. The counters live in the local cache, emptied before every test (conftest.py).
SAMVERKAN["RATE_LIMITS"] = {**SAMVERKAN["RATE_LIMITS"], "api_user": None, "api_ip": None}
