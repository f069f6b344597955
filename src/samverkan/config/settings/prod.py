"""Production: everything from the environment, secure defaults, refuses to start
without a secret key."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *

if not SECRET_KEY:
    raise ImproperlyConfigured("SAMVERKAN_SECRET_KEY must be set in production.")

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SAMVERKAN_SSL_REDIRECT", True)
# Load balancers probe the app over plain HTTP; a redirect would count as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = env_list("SAMVERKAN_CSRF_TRUSTED_ORIGINS")
SECURE_HSTS_SECONDS = int(os.environ.get("SAMVERKAN_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

# Per-request cost (decision 0093). Database connections are kept open between requests
# (SAMVERKAN_DB_CONN_MAX_AGE seconds, default 60) and checked before reuse, so a
# connection the database or a pooler closed is replaced instead of failing a request.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("SAMVERKAN_DB_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("SAMVERKAN_DB_CONN_HEALTH_CHECKS", True)
# Templates are compiled once per process (the cached loader; Django's default when
# DEBUG is off, stated here so that it stays so).
TEMPLATES[0]["APP_DIRS"] = False
TEMPLATES[0]["OPTIONS"]["loaders"] = [
    (
        "django.template.loaders.cached.Loader",
        [
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    )
]
