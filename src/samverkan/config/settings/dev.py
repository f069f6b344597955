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
# The demo's population register: a file of fictional people (docs/decisions/0150).
SAMVERKAN["POPULATION_REGISTER"] = os.environ.get(
    "SAMVERKAN_POPULATION_REGISTER", f"file:{PACKAGE_DIR / 'demo' / 'data' / 'folkbokforing.json'}"
)
