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
    "samverkan.core",
    "samverkan.audit",
    "samverkan.access",
    "samverkan.directory",
    "samverkan.people",
    "samverkan.consent",
    "samverkan.concerns",
    "samverkan.plans",
    "samverkan.knowledge",
    "samverkan.meetings",
    "samverkan.web",
    "samverkan.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "samverkan.web.middleware.SecurityHeadersMiddleware",
    "samverkan.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "samverkan.directory.middleware.ActorMiddleware",
    # After authentication and OTP: a session that has not passed its second factor
    # reaches nothing but the login, second-factor and public pages.
    "samverkan.web.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Sessions end after inactivity: every request pushes the expiry forward.
SESSION_COOKIE_AGE = int(os.environ.get("SAMVERKAN_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

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
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "samverkan.web.views.locked_out"
# Successful logins are in the audit log already; axes keeps only the failures.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Two-factor login (django-otp, TOTP). The name shown in the authenticator app.
OTP_TOTP_ISSUER = "Samverkan"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SAMVERKAN_LOG_LEVEL", "INFO")},
    # PDF rendering logs every font subsetting step at INFO.
    "loggers": {
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        # django-axes logs every login at INFO; lockouts are WARNING.
        "axes": {"level": "WARNING"},
    },
}

# Product configuration ----------------------------------------------------------------
SAMVERKAN = {
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
    # Audit rows are sealed into the hash chain in batches of at most this size.
    "AUDIT_SEAL_BATCH": 500,
    # Consent (samtycke). Ages follow Socialstyrelsen's guidance; kept configurable.
    "CONSENT_DEFAULT_VALIDITY_DAYS": int(os.environ.get("SAMVERKAN_CONSENT_VALIDITY_DAYS", "365")),
    "CONSENT_REMINDER_DAYS": int(os.environ.get("SAMVERKAN_CONSENT_REMINDER_DAYS", "30")),
    # From this age the child's own views are documented in the consent.
    "CONSENT_CHILD_VIEWS_AGE": int(os.environ.get("SAMVERKAN_CONSENT_CHILD_VIEWS_AGE", "12")),
    # From this age the young person's own consent is required.
    "CONSENT_CHILD_OWN_AGE": int(os.environ.get("SAMVERKAN_CONSENT_CHILD_OWN_AGE", "15")),
    # Reports of concern (orosanmälan); more keys and their defaults in concerns/conf.py.
    # Working days within which an oral report must be completed in writing.
    "CONCERN_WRITTEN_WORKING_DAYS": int(os.environ.get("SAMVERKAN_CONCERN_WRITTEN_DAYS", "2")),
    # Several reports about one child from different reporters within this many days.
    "CONCERN_DUPLICATE_WINDOW_DAYS": int(
        os.environ.get("SAMVERKAN_CONCERN_DUPLICATE_WINDOW_DAYS", "30")
    ),
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
