"""Local development and the demo (`samverkan demo`)."""

import os

from .base import *

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production"
SAMVERKAN["SHOW_DEMO_USERS"] = True
SAMVERKAN["PASSWORD_LOGIN_DEFAULT"] = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# The demo's published password for its fictional users; the development settings only.
SAMVERKAN["DEMO_PASSWORD"] = "samverkan-demo"  # nosec B105
# The demo logs in with a username and a password only. Two-factor login stays
# available (a user who has enrolled is asked for the code); set SAMVERKAN_REQUIRE_2FA=1
# to try the production behaviour locally.
SAMVERKAN["REQUIRE_2FA"] = env_bool("SAMVERKAN_REQUIRE_2FA", False)
# E-mail is written to files in the data folder, unless an SMTP server is named.
if "SAMVERKAN_SMTP_HOST" not in os.environ:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
# Readable log lines in a terminal.
if "SAMVERKAN_LOG_FORMAT" not in os.environ:
    LOGGING["handlers"]["console"]["formatter"] = "plain"
# The audit chain's witness (audit/witness.py): for the demo a file in the data folder,
# one per database, so that a SQLite and a PostgreSQL demo do not share one. In
# production it belongs on another volume (docs/operations.md).
if not SAMVERKAN["AUDIT_WITNESS_FILE"]:
    _db = DATABASES["default"]
    _db_name = Path(str(_db["NAME"])).name if _db["ENGINE"].endswith("sqlite3") else _db["NAME"]
    SAMVERKAN["AUDIT_WITNESS_FILE"] = str(DATA_DIR / f"audit-witness-{_db_name}.log")
# The demo's population register: a file of fictional people (docs/decisions/0150).
SAMVERKAN["POPULATION_REGISTER"] = os.environ.get(
    "SAMVERKAN_POPULATION_REGISTER", f"file:{PACKAGE_DIR / 'demo' / 'data' / 'folkbokforing.json'}"
)
# SMS in the demo: appended to a file in the data folder (notify/sms.py), never sent.
if not SAMVERKAN_SMS["GATEWAY"]:
    SAMVERKAN_SMS = {**SAMVERKAN_SMS, "GATEWAY": "file", "FILE": str(DATA_DIR / "sms.log")}
