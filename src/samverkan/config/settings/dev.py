"""Local development and the demo (`samverkan demo`)."""

from .base import *

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production"
SAMVERKAN["SHOW_DEMO_USERS"] = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
SAMVERKAN["DEMO_PASSWORD"] = "samverkan-demo"
