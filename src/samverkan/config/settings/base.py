"""Settings shared by every environment.

Everything that differs between installations is read from the environment, so that
one image can run anywhere (see docs/operations.md).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from samverkan.core import limits, logs

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("SAMVERKAN_DATA_DIR", Path.cwd() / "data")).resolve()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SAMVERKAN_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("SAMVERKAN_ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Two-factor login (TOTP) and the lockout after repeated failed logins
    # (docs/security.md).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    # The API's interactive docs (/api/docs) from local static files, not a CDN, so the
    # Content-Security-Policy below holds there too.
    "ninja",
    # The task runner: queue and schedules in the database (ORM broker), run by
    # `samverkan worker` (decision 0190).
    "django_q",
    "samverkan.core",
    "samverkan.audit",
    "samverkan.access",
    "samverkan.directory",
    "samverkan.people",
    "samverkan.legal",
    "samverkan.retention",
    "samverkan.consent",
    "samverkan.concerns",
    "samverkan.plans",
    "samverkan.handover",
    "samverkan.knowledge",
    "samverkan.meetings",
    "samverkan.governance",
    "samverkan.notify",
    "samverkan.portal",
    "samverkan.web",
    "samverkan.demo",
]

# Set deliberately (decision 0290): the form fields Django parses into memory at most
# 2.5 MB (a 1 MB text with room to spare), an uploaded file above 2.5 MB is streamed
# to a temporary file instead of memory. The whole body is bounded before either by
# core.request_size (bounds.REQUEST_BODY_BYTES, or UPLOAD_REQUEST_BODY_BYTES for a view
# that takes a file).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1_000

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "samverkan.web.middleware.SecurityHeadersMiddleware",
    "samverkan.core.middleware.RequestIdMiddleware",
    "samverkan.core.middleware.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's OTPMiddleware, reading the user and the second factor's device in one
    # query (decision 0366).
    "samverkan.web.session_user.VerifiedUserMiddleware",
    "samverkan.directory.middleware.ActorMiddleware",
    # After authentication and OTP: a session that has not passed its second factor
    # reaches nothing but the login, second-factor and public pages.
    "samverkan.web.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A body over the route's bound is refused with 413 before anything reads it (the
    # idempotency check and the CSRF check read request.POST); decision 0290.
    "samverkan.core.request_size.RequestSizeMiddleware",
    # A session ends SAMVERKAN_SESSION_MAX_SECONDS after its login, however active (after
    # the messages, so that the login page can say why).
    "samverkan.web.middleware.SessionLifetimeMiddleware",
    # A form or API call sent twice with the same one-time key creates once
    # (core.idempotency); after the user and the messages are known.
    "samverkan.core.idempotency.IdempotencyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samverkan.config.urls"
WSGI_APPLICATION = "samverkan.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samverkan.web.context_processors.product",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'samverkan.sqlite3'}"),
        conn_max_age=int(os.environ.get("SAMVERKAN_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if str(DATABASES["default"]["NAME"]) != ":memory:":
        # The embedded default lives in the data folder; make sure it exists.
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers proceed while one writer commits; IMMEDIATE avoids
    # "database is locked" on lock upgrades inside write transactions.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the product's queries are short, and PostgreSQL's JIT spent
    # 370 of 470 ms compiling the intake dashboard's query (docs/benchmarks.md).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = (options.get("options", "") + " -c jit=off").strip()

# A read replica for selectors (samverkan.core.replicas, docs/scaling.md): a PostgreSQL
# streaming replica of the primary. Reads go there only where a selector asks for it.
if os.environ.get("SAMVERKAN_REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["SAMVERKAN_REPLICA_DATABASE_URL"],
        conn_max_age=DATABASES["default"].get("CONN_MAX_AGE", 0),
    )
    if DATABASES["replica"]["ENGINE"] == DATABASES["default"]["ENGINE"]:
        DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
DATABASE_ROUTERS = ["samverkan.core.replicas.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache: the abuse limits' counters (core/limits.py, decision 0170) and the OpenID
# provider's discovery document. SAMVERKAN_CACHE_URL (redis://host:6379/0) makes every
# web process share it, which the limits need; without it each process keeps its own
# (fine for the demo and the tests; `check --deploy` warns).
CACHE_URL = os.environ.get("SAMVERKAN_CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "samverkan",
        }
    }
else:
    # Room for every organisation's kind (legal/organisations.py, one entry each): with
    # Django's default of 300 entries a directory of a few thousand organisations was
    # culled on every request and read again in full (decision 0364).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
# django-ratelimit counts in the default cache. Its own check knows only some backends by
# name (Django's built-in Redis cache is atomic and shared, but not on its list); the
# product's check (core.checks, W010) says what matters: a shared cache in production.
RATELIMIT_USE_CACHE = "default"
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out username and address before the password is
# checked, and counts every failure (AxesStandaloneBackend never logs anyone in).
# The e-legitimation backend is last: it answers only the OpenID Connect callback
# (web/oidc), never a username and password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "samverkan.web.oidc.backend.StaffOIDCBackend",
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Sessions end after inactivity: a request pushes the expiry forward, written at most
# once per SAMVERKAN_SESSION_REFRESH_SECONDS (web.sessions, decision 0094). However
# active, a session ends SAMVERKAN_SESSION_MAX_SECONDS after the login (web.middleware).
SESSION_ENGINE = "samverkan.web.sessions"
SESSION_COOKIE_AGE = int(os.environ.get("SAMVERKAN_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_MAX_SECONDS = int(os.environ.get("SAMVERKAN_SESSION_MAX_SECONDS", str(10 * 3600)))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A failed CSRF check (a form left open too long): a Swedish page (web/errors.py).
CSRF_FAILURE_VIEW = "samverkan.web.errors.csrf_failure"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("SAMVERKAN_STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): everything from our own origin, no inline
# scripts or styles, no plugins, no framing. htmx is a static file and is told by a meta
# tag (web/base.html) not to inject its indicator styles. Templates must not use
# style="...", on...="..." or inline <script>: a test (web/tests/test_headers.py)
# keeps it so.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features the product never uses are switched off for every page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Lockout after repeated failed logins (django-axes): SAMVERKAN_LOGIN_FAILURE_LIMIT
# failures for the same username from the same address lock that combination for
# SAMVERKAN_LOGIN_LOCKOUT_MINUTES; every further try during the lockout restarts it.
# `samverkan axes_reset_username <name>` unlocks early (docs/operations.md).
AXES_FAILURE_LIMIT = int(os.environ.get("SAMVERKAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SAMVERKAN_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address is the client's behind the trusted reverse proxy, as for the abuse limits
# (core/clientip.py, decision 0170): otherwise everyone behind the proxy shares one.
AXES_CLIENT_IP_CALLABLE = "samverkan.core.clientip.for_request"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "samverkan.web.views.locked_out"
# Successful logins are in the audit log already; axes keeps only the failures.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Two-factor login (django-otp, TOTP). The name shown in the authenticator app.
OTP_TOTP_ISSUER = "Samverkan"

# E-mail (notify.mail): SMTP from the environment. Messages never carry personal data
# about children: "Du har en ny händelse i Samverkan" and a link.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("SAMVERKAN_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SAMVERKAN_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("SAMVERKAN_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SAMVERKAN_SMTP_PASSWORD", "")
# STARTTLS on the submission port (587); SSL/TLS from the start (465) with SMTP_SSL.
EMAIL_USE_TLS = env_bool("SAMVERKAN_SMTP_STARTTLS", False)
EMAIL_USE_SSL = env_bool("SAMVERKAN_SMTP_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("SAMVERKAN_SMTP_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("SAMVERKAN_MAIL_FROM", "Samverkan <samverkan@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address links in e-mail point to, e.g. https://samverkan.kommun.se
# The task runner (django-q2, decision 0190): the queue and the schedules live in the
# application's own database (SQLite or PostgreSQL), no other service. A task that fails
# is not acknowledged and is run again after RETRY seconds, at most MAX_ATTEMPTS times;
# a schedule that was missed while no worker ran is run once, not once per missed slot.
Q_CLUSTER = {
    "name": "samverkan",
    "orm": "default",
    "workers": int(os.environ.get("SAMVERKAN_TASK_WORKERS", "1")),
    "timeout": int(os.environ.get("SAMVERKAN_TASK_TIMEOUT", "600")),
    "retry": int(os.environ.get("SAMVERKAN_TASK_RETRY", "900")),
    "max_attempts": int(os.environ.get("SAMVERKAN_TASK_MAX_ATTEMPTS", "5")),
    "ack_failures": False,
    "catch_up": False,
    "save_limit": 500,
    "poll": float(os.environ.get("SAMVERKAN_TASK_POLL", "2")),
    "label": "Bakgrundsjobb",
}

# SMS about urgent items (notify/sms.py, decision 0250), to staff who gave a mobile
# number: "" (off), "http" (a gateway's HTTP API: form fields from/to/message with basic
# authentication, as 46elks' /a1/sms), "file" (one JSON line per message appended to
# FILE: the demo) or the dotted path of an adapter class. The text is fixed and carries
# no personal data. The worker sends at most PER_RUN messages a minute, at most one per
# person per MIN_INTERVAL_MINUTES, and retries a failure after RETRY_MINUTES (doubling)
# at most MAX_ATTEMPTS times.
SAMVERKAN_SMS = {
    "GATEWAY": os.environ.get("SAMVERKAN_SMS_GATEWAY", ""),
    "URL": os.environ.get("SAMVERKAN_SMS_URL", ""),
    "USER": os.environ.get("SAMVERKAN_SMS_USER", ""),
    "PASSWORD": os.environ.get("SAMVERKAN_SMS_PASSWORD", ""),
    "SENDER": os.environ.get("SAMVERKAN_SMS_SENDER", "Samverkan"),
    "FILE": os.environ.get("SAMVERKAN_SMS_FILE", ""),
    "TIMEOUT": int(os.environ.get("SAMVERKAN_SMS_TIMEOUT", "10")),
    "PER_RUN": int(os.environ.get("SAMVERKAN_SMS_PER_RUN", "60")),
    "MIN_INTERVAL_MINUTES": int(os.environ.get("SAMVERKAN_SMS_MIN_INTERVAL_MINUTES", "15")),
    "RETRY_MINUTES": int(os.environ.get("SAMVERKAN_SMS_RETRY_MINUTES", "2")),
    "MAX_ATTEMPTS": int(os.environ.get("SAMVERKAN_SMS_MAX_ATTEMPTS", "5")),
}

SAMVERKAN_BASE_URL = os.environ.get("SAMVERKAN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Logs: one JSON object per line on stderr (structlog), with the request id and the
# acting organisation's id; never personal data about children (docs/operations.md).
# SAMVERKAN_LOG_FORMAT=plain gives readable lines for a terminal.
LOG_FORMAT = os.environ.get("SAMVERKAN_LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "structlog.stdlib.ProcessorFormatter",
            "processors": [logs.remove_processors_meta, logs.render_json],
            "foreign_pre_chain": logs.FOREIGN_PRE_CHAIN,
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("SAMVERKAN_LOG_LEVEL", "INFO")},
    # PDF rendering logs every font subsetting step at INFO.
    "loggers": {
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        # Every request is logged by route name (core.middleware.RequestLogMiddleware);
        # Django's own 4xx lines would repeat them with the path.
        "django.request": {"level": "ERROR"},
        # django-axes logs every login at INFO; lockouts are WARNING.
        "axes": {"level": "WARNING"},
    },
}

# Product configuration ----------------------------------------------------------------
SAMVERKAN = {
    # The session's idle expiry is written when it lags this many seconds behind
    # (web.sessions): a session ends 29-30 minutes after its last request, and a
    # page costs no session write and commit of its own (decision 0094).
    "SESSION_REFRESH_SECONDS": int(os.environ.get("SAMVERKAN_SESSION_REFRESH_SECONDS", "60")),
    # Shown in the header, e.g. "Exempelkommun".
    "MUNICIPALITY_NAME": os.environ.get("SAMVERKAN_MUNICIPALITY_NAME", "Exempelkommun"),
    # Two-factor login (TOTP) for everyone whose role sees personal data (a function
    # with people.view or audit.view). Off only in the development settings, so that
    # the demo works with a username and a password.
    "REQUIRE_2FA": env_bool("SAMVERKAN_REQUIRE_2FA", True),
    # The demo login page lists demo users; never on in production.
    "SHOW_DEMO_USERS": False,
    # Password of every demo user; set by the demo loader, shown on the demo login page.
    # (Empty: there are no demo users outside the dev and test settings.)
    "DEMO_PASSWORD": "",  # nosec B105
    # New organisations let their staff log in with a password (then with two-factor
    # login where required) only when an administrator chooses so; e-legitimation is the
    # rule. On in the development and test settings (the demo logs in with passwords).
    "PASSWORD_LOGIN_DEFAULT": env_bool("SAMVERKAN_PASSWORD_LOGIN_DEFAULT", False),
    # The level of assurance an e-legitimation login needs to read personal data
    # (1-4, as in the Swedish eID framework: 3 = SITHS, BankID, Freja eID+).
    "REQUIRED_ASSURANCE_LEVEL": int(os.environ.get("SAMVERKAN_REQUIRED_ASSURANCE_LEVEL", "3")),
    # /metrics for Prometheus: a bearer token (SAMVERKAN_METRICS_TOKEN) is required; with
    # none set, /metrics answers 404. Loopback callers need no token in development.
    "METRICS_TOKEN": os.environ.get("SAMVERKAN_METRICS_TOKEN", ""),
    # /healthz reports the sealer as "behind" when the oldest unsealed row is older.
    "SEALER_LAG_ALERT_SECONDS": int(os.environ.get("SAMVERKAN_SEALER_LAG_ALERT_SECONDS", "60")),
    # Selectors that ask for it read from the "replica" database (core/replicas.py).
    "READ_REPLICA": bool(os.environ.get("SAMVERKAN_REPLICA_DATABASE_URL")),
    # Abuse limits (core/limits.py, decision 0170): requests per period ("120/m",
    # "30/15m"; empty for none). API calls per user and per address, reports through
    # the public form per address, failed password logins per address (whatever the
    # username: password spraying; the lockout per username is AXES_* above).
    "RATE_LIMITS": {
        name: os.environ.get(f"SAMVERKAN_RATE_{name.upper()}", default) or None
        for name, default in limits.DEFAULT_RATES.items()
    },
    # Audit rows are sealed into the hash chain in batches of at most this size.
    "AUDIT_SEAL_BATCH": 500,
    # Witnesses of the audit chain's head (audit/witness.py, docs/operations.md): an
    # append-only file on another volume, and/or syslog (facility, e.g. LOG_AUTHPRIV).
    "AUDIT_WITNESS_FILE": os.environ.get("SAMVERKAN_AUDIT_WITNESS_FILE", ""),
    "AUDIT_WITNESS_SYSLOG": env_bool("SAMVERKAN_AUDIT_WITNESS_SYSLOG", False),
    "AUDIT_WITNESS_SYSLOG_FACILITY": os.environ.get(
        "SAMVERKAN_AUDIT_WITNESS_SYSLOG_FACILITY", "LOG_AUTHPRIV"
    ),
    # Consent (samtycke). Ages follow Socialstyrelsen's guidance; kept configurable.
    "CONSENT_DEFAULT_VALIDITY_DAYS": int(os.environ.get("SAMVERKAN_CONSENT_VALIDITY_DAYS", "365")),
    "CONSENT_REMINDER_DAYS": int(os.environ.get("SAMVERKAN_CONSENT_REMINDER_DAYS", "30")),
    # From this age the child's own views are documented in the consent.
    "CONSENT_CHILD_VIEWS_AGE": int(os.environ.get("SAMVERKAN_CONSENT_CHILD_VIEWS_AGE", "12")),
    # From this age the young person's own consent is required.
    "CONSENT_CHILD_OWN_AGE": int(os.environ.get("SAMVERKAN_CONSENT_CHILD_OWN_AGE", "15")),
    # The family portal (decision 0200): from this age a young person logs in to see
    # their own data and consents.
    "PORTAL_OWN_ACCESS_AGE": int(os.environ.get("SAMVERKAN_PORTAL_OWN_ACCESS_AGE", "15")),
    # The inbox's clocks (notify/clocks.py): days a called organisation has to
    # acknowledge a SIP call ("utan dröjsmål"), and days past any item's due time before
    # it escalates (once) to the manager of its unit, else the organisation's.
    "SIP_ACK_DAYS": int(os.environ.get("SAMVERKAN_SIP_ACK_DAYS", "3")),
    # Days from a SIP call until its first meeting must have been held (the plan
    # established), a clock for the person who called (plans/inbox.py).
    "SIP_FIRST_MEETING_DAYS": int(os.environ.get("SAMVERKAN_SIP_FIRST_MEETING_DAYS", "21")),
    "ESCALATE_AFTER_DAYS": int(os.environ.get("SAMVERKAN_ESCALATE_AFTER_DAYS", "2")),
    # The hour (local time) the daily e-mail digest goes out.
    "DIGEST_HOUR": int(os.environ.get("SAMVERKAN_DIGEST_HOUR", "7")),
    # Reports of concern (orosanmälan); more keys and their defaults in concerns/conf.py.
    # Working days within which an oral report must be completed in writing.
    "CONCERN_WRITTEN_WORKING_DAYS": int(os.environ.get("SAMVERKAN_CONCERN_WRITTEN_DAYS", "2")),
    # Several reports about one child from different reporters within this many days.
    "CONCERN_DUPLICATE_WINDOW_DAYS": int(
        os.environ.get("SAMVERKAN_CONCERN_DUPLICATE_WINDOW_DAYS", "30")
    ),
    # The population register (folkbokföringen) that a child's guardians and custody can
    # be fetched from: "" (none; staff type them in), or "file:<path>" (a JSON extract in
    # the format of demo/data/folkbokforing.json). See docs/decisions/0150.
    "POPULATION_REGISTER": os.environ.get("SAMVERKAN_POPULATION_REGISTER", ""),
    # Legal references shown with grounds and deadlines (the new SoL's paragraph numbers
    # come from cross-references: kept here, never in the logic).
    "CONCERN_LAW": {
        "duty_to_report": "SoL (2001:453) 14 kap. 1 §, SoL (2025:400) 19 kap. 1 §, "
        "OSL 10 kap. 28 §",
        "feedback": "Östermalmsrapporten 6.1; OSL 26 kap. 1 § (harmlösa eller redan kända "
        "uppgifter)",
        "preliminary": "SoL (2001:453) 11 kap. 1 a §, SoL (2025:400) 20 kap. 2 §",
        "investigation": "SoL (2001:453) 11 kap. 2 §",
        "guardians": "OSL 12 kap. 3 §",
    },
}

# `samverkan serve` (gunicorn): what it starts with unless told otherwise.
SAMVERKAN_SERVE = {
    "BIND": os.environ.get("SAMVERKAN_BIND", "127.0.0.1:8000"),
    # Two per core and one more, at most 9: each is a process with its own connection.
    "WORKERS": int(
        os.environ.get("SAMVERKAN_WEB_WORKERS", str(min(2 * (os.cpu_count() or 1) + 1, 9)))
    ),
    "THREADS": int(os.environ.get("SAMVERKAN_WEB_THREADS", "1")),
    "TIMEOUT": int(os.environ.get("SAMVERKAN_WEB_TIMEOUT", "60")),
    "GRACEFUL_TIMEOUT": int(os.environ.get("SAMVERKAN_WEB_GRACEFUL_TIMEOUT", "30")),
    # The reverse proxy whose X-Forwarded-* headers gunicorn believes.
    "FORWARDED_ALLOW_IPS": os.environ.get("SAMVERKAN_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    # HTTPS from gunicorn itself (a small installation without a reverse proxy, and the
    # production-stack test): a certificate and its key, PEM files.
    "TLS_CERT": os.environ.get("SAMVERKAN_TLS_CERT", ""),
    "TLS_KEY": os.environ.get("SAMVERKAN_TLS_KEY", ""),
}

# Login with e-legitimation over OpenID Connect (web/oidc; decision 0120). On when an
# issuer is set. The endpoints come from the issuer's discovery document.
SAMVERKAN_OIDC = {
    "ISSUER": os.environ.get("SAMVERKAN_OIDC_ISSUER", "").rstrip("/"),
    "CLIENT_ID": os.environ.get("SAMVERKAN_OIDC_CLIENT_ID", ""),
    "CLIENT_SECRET": os.environ.get("SAMVERKAN_OIDC_CLIENT_SECRET", ""),
    # How the client authenticates at the token endpoint: "post" (client_secret_post)
    # or "basic" (client_secret_basic), as registered at the provider.
    "TOKEN_AUTH_METHOD": os.environ.get("SAMVERKAN_OIDC_TOKEN_AUTH", "post"),
    "SCOPES": os.environ.get(
        "SAMVERKAN_OIDC_SCOPES",
        "openid profile email https://id.oidc.se/scope/naturalPersonNumber",
    ),
    # acr_values asked for in the authentication request (space-separated), if any.
    "ACR_VALUES": os.environ.get("SAMVERKAN_OIDC_ACR_VALUES", ""),
    # The claims that identify a staff member (the Swedish OpenID Connect profile's
    # names by default; providers differ: see docs/operations.md).
    "CLAIM_PERSONNUMMER": os.environ.get(
        "SAMVERKAN_OIDC_CLAIM_PERSONNUMMER", "https://id.oidc.se/claim/personalIdentityNumber"
    ),
    "CLAIM_HSA_ID": os.environ.get("SAMVERKAN_OIDC_CLAIM_HSA_ID", "https://id.oidc.se/claim/hsaId"),
    # Match on the e-mail address too (only for providers that verify it).
    "MATCH_EMAIL": env_bool("SAMVERKAN_OIDC_MATCH_EMAIL", False),
    # Turns the provider's claims into a staff account: a dotted path, so that another
    # client (the family portal) can use another mapping.
    "CLAIM_MAPPER": "samverkan.directory.identity.staff_for_claims",
    # Levels of the acr values of the Swedish eID framework; others are read from a
    # trailing "loaN".
    "ACR_LEVELS": {
        "http://id.elegnamnden.se/loa/1.0/loa2": 2,
        "http://id.elegnamnden.se/loa/1.0/loa3": 3,
        "http://id.elegnamnden.se/loa/1.0/loa4": 4,
        "http://id.elegnamnden.se/loa/1.0/uncertified-loa3": 2,
        "http://id.swedenconnect.se/loa/1.0/uncertified-loa3": 2,
        # A foreign eID through the Swedish eIDAS node (Sweden Connect): eIDAS
        # "substantial" is LoA 3, "high" LoA 4, "low" LoA 2 (refused where 3 is needed);
        # "nf" is the same level from an eID scheme not yet notified (decision 0310).
        "http://id.elegnamnden.se/loa/1.0/eidas-low": 2,
        "http://id.elegnamnden.se/loa/1.0/eidas-sub": 3,
        "http://id.elegnamnden.se/loa/1.0/eidas-nf-sub": 3,
        "http://id.elegnamnden.se/loa/1.0/eidas-high": 4,
        "http://id.elegnamnden.se/loa/1.0/eidas-nf-high": 4,
        "http://eidas.europa.eu/LoA/low": 2,
        "http://eidas.europa.eu/LoA/substantial": 3,
        "http://eidas.europa.eu/LoA/high": 4,
    },
    "SIGN_ALGORITHMS": ["RS256", "ES256", "PS256"],
    # Seconds of clock difference accepted when checking a token's times.
    "LEEWAY_SECONDS": int(os.environ.get("SAMVERKAN_OIDC_LEEWAY_SECONDS", "60")),
    "TIMEOUT_SECONDS": int(os.environ.get("SAMVERKAN_OIDC_TIMEOUT_SECONDS", "10")),
    # How long the discovery document and the provider's keys are kept (seconds).
    "DISCOVERY_CACHE_SECONDS": int(
        os.environ.get("SAMVERKAN_OIDC_DISCOVERY_CACHE_SECONDS", "3600")
    ),
    # The button on the login page.
    "BUTTON_LABEL": os.environ.get("SAMVERKAN_OIDC_BUTTON_LABEL", "Logga in med e-legitimation"),
}
# The family portal's login (portal/oidc.py; decision 0200): the same OpenID Connect
# relying party as the staff login, registered at the provider as a client of its own
# (its own id, secret and redirect URI /familj/logga-in/svar/). On when an issuer and a
# client id are set; the issuer defaults to the staff login's.
SAMVERKAN_PORTAL_OIDC = {
    **SAMVERKAN_OIDC,
    "ISSUER": os.environ.get("SAMVERKAN_PORTAL_OIDC_ISSUER", SAMVERKAN_OIDC["ISSUER"]).rstrip("/"),
    "CLIENT_ID": os.environ.get("SAMVERKAN_PORTAL_OIDC_CLIENT_ID", ""),
    "CLIENT_SECRET": os.environ.get("SAMVERKAN_PORTAL_OIDC_CLIENT_SECRET", ""),
    "SCOPES": os.environ.get(
        "SAMVERKAN_PORTAL_OIDC_SCOPES",
        "openid profile https://id.oidc.se/scope/naturalPersonNumber",
    ),
    "ACR_VALUES": os.environ.get("SAMVERKAN_PORTAL_OIDC_ACR_VALUES", ""),
    "BUTTON_LABEL": os.environ.get(
        "SAMVERKAN_PORTAL_OIDC_BUTTON_LABEL", "Logga in med BankID eller Freja eID"
    ),
    # A foreign eID through eIDAS (decision 0310; the Swedish OpenID Connect profile's
    # claim names by default). The Swedish number the eIDAS node has bound to the person
    # (a personnummer or samordningsnummer), if any: then the login is by that number.
    "CLAIM_MAPPED_PERSONNUMMER": os.environ.get(
        "SAMVERKAN_PORTAL_OIDC_CLAIM_MAPPED_PERSONNUMMER",
        "https://id.oidc.se/claim/mappedPersonalIdentityNumber",
    ),
    # The person's lasting eIDAS identifier: Sweden Connect's provisional id (prid,
    # "DE:..."), else the eIDAS PersonIdentifier ("DE/SE/..."). Staff link it to a
    # guardian record after checking the person's identity in person.
    "CLAIM_EIDAS_IDENTIFIER": os.environ.get(
        "SAMVERKAN_PORTAL_OIDC_CLAIM_EIDAS_IDENTIFIER", "https://id.oidc.se/claim/prid"
    ),
    "CLAIM_EIDAS_PERSON_IDENTIFIER": os.environ.get(
        "SAMVERKAN_PORTAL_OIDC_CLAIM_EIDAS_PERSON_IDENTIFIER",
        "https://id.oidc.se/claim/eidasPersonIdentifier",
    ),
    "CLAIM_COUNTRY": os.environ.get(
        "SAMVERKAN_PORTAL_OIDC_CLAIM_COUNTRY", "https://id.oidc.se/claim/country"
    ),
}
SAMVERKAN_PORTAL = {
    # A portal session ends this many seconds after the login, and after this many
    # seconds without a request.
    "SESSION_MAX_SECONDS": int(os.environ.get("SAMVERKAN_PORTAL_SESSION_MAX_SECONDS", "3600")),
    "SESSION_IDLE_SECONDS": int(os.environ.get("SAMVERKAN_PORTAL_SESSION_IDLE_SECONDS", "900")),
    # A signature (give, narrow, revoke a consent) rests on an e-legitimation no older
    # than this; an older login is asked to identify itself again first.
    "SIGN_FRESH_SECONDS": int(os.environ.get("SAMVERKAN_PORTAL_SIGN_FRESH_SECONDS", "600")),
}
# mozilla-django-oidc's own names, for what of it is used as it is.
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "web:oidc_callback"
