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
# A second, empty database for the backup tests to restore into (web/tests/test_backup.py).
# pytest-django creates it (migrated, without the demo world) only when a test asks for it.
DATABASES["restore"] = {
    **DATABASES["default"],
    "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
    "TEST": {},
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["restore"]["NAME"] = f"{DATABASES['default']['NAME']}_restore"
# The demo's population register: a file of fictional people (docs/decisions/0150).
SAMVERKAN["POPULATION_REGISTER"] = os.environ.get(
    "SAMVERKAN_POPULATION_REGISTER", f"file:{PACKAGE_DIR / 'demo' / 'data' / 'folkbokforing.json'}"
)
