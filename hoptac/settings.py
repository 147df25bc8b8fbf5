"""hoptac settings: one file, every deployment choice read from the environment (see README)."""

import hashlib
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from hoptac.env import env_bool, env_int, env_list, env_str, parse_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
# Runtime files (SQLite database, uploads, collected static, demo secret) live under var/.
VAR_DIR = Path(env_str("HOPTAC_VAR_DIR") or PACKAGE_DIR.parent / "var").resolve()

DEBUG = env_bool("HOPTAC_DEBUG", False)
# `make demo`: on this machine only, without debug (the pages a visitor sees are the real ones:
# Vietnamese error pages, no technical traceback), with a key of its own and plain-HTTP cookies.
DEMO = env_bool("HOPTAC_DEMO", False)
LOCAL = DEBUG or DEMO
# Development and the demo serve static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = LOCAL
WHITENOISE_AUTOREFRESH = DEBUG


def _secret_key() -> str:
    key = env_str("HOPTAC_SECRET_KEY")
    if key:
        return key
    if not LOCAL:
        raise ImproperlyConfigured(
            "Set HOPTAC_SECRET_KEY (or HOPTAC_SECRET_KEY_FILE); only HOPTAC_DEBUG=1 or HOPTAC_DEMO=1 may go without."
        )
    # Development and the demo: a random key kept beside the SQLite database, so sessions survive restarts.
    from django.core.management.utils import get_random_secret_key

    path = VAR_DIR / "secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key(), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("HOPTAC_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if LOCAL else [])
CSRF_TRUSTED_ORIGINS = env_list("HOPTAC_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "hoptac.synth",  # `hoptac synth`: benchmark data over every app (the top layer, docs/development.md)
    "hoptac.core",
    "hoptac.geo",
    "hoptac.accounts",
    "hoptac.registry",
    "hoptac.figures",
    "hoptac.indicators",
    "hoptac.plans",
    "hoptac.tasks",
    "hoptac.reporting",
    "hoptac.links",
    "hoptac.imports",
    "hoptac.ocop",
    "hoptac.support",
    "hoptac.dissolution",
    "hoptac.training",
    "hoptac.trace",
    # one line per domain app below
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hoptac.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hoptac.core.middleware.SessionLifetimeMiddleware",
    "hoptac.core.middleware.LanguageMiddleware",
    "hoptac.core.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hoptac.core.middleware.CSPMiddleware",  # django-csp's, the policy built once
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hoptac.urls"
WSGI_APPLICATION = "hoptac.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "hoptac.core.context_processors.notifications",
            ],
        },
    },
]

# Every form field outlined when invalid, its help and error tied to it (hoptac.core.forms).
FORM_RENDERER = "hoptac.core.forms.FormRenderer"

DATABASES = {
    "default": parse_database_url(env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'hoptac.sqlite3'}"),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out user before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Repeated failed logins (counted in the database, so every app server sees them): a user name is
# locked for 15 minutes after five failures whatever the addresses they came from; an address is
# throttled after LOGIN_FAILURES_PER_ADDRESS failures over any user names in 15 minutes (password
# spraying), counted in the shared "ratelimit" cache (accounts.views).
AXES_FAILURE_LIMIT = env_int("HOPTAC_LOGIN_FAILURES_PER_USER", 5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
LOGIN_FAILURES_PER_ADDRESS = env_int("HOPTAC_LOGIN_FAILURES_PER_ADDRESS", 20)
# axes.W006 asks for the address in the lockout key; we lock the name alone on purpose (a whole
# office shares one address behind its NAT) and throttle addresses separately, above.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's own vi formats read 01/07/2025 as 7 January and print no thousands separator;
# ours (hoptac/formats/) use dd/mm/yyyy and 1.234.567.
FORMAT_MODULE_PATH = ["hoptac.formats"]

# Cached indicator values, pre-rendered public pages and request counters. With HOPTAC_REDIS_URL
# every app server on every machine shares them (several processes or machines need it: counters
# in one process's memory multiply with the workers); without it, one machine's defaults: a file
# cache shared by the processes of this machine and per-process counters (nothing to install).
REDIS_URL = env_str("HOPTAC_REDIS_URL") or ""
# Two databases on one machine (SQLite demo, PostgreSQL) must never share cached values.
# The database's identity only: a worker whose connection differs in options (an application_name)
# must share the web servers' cached values and job progress.
_DB_IDENTITY = [DATABASES["default"].get(k) for k in ("ENGINE", "NAME", "HOST", "PORT")]
_CACHE_PREFIX = hashlib.sha256(repr(_DB_IDENTITY).encode()).hexdigest()[:12]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                    "KEY_PREFIX": _CACHE_PREFIX},
        "ratelimit": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                      "KEY_PREFIX": _CACHE_PREFIX + "-rl"},
        "jobs": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                 "KEY_PREFIX": _CACHE_PREFIX + "-jobs"},
    }  # fmt: skip
else:
    CACHES = {
        "default": {
            "BACKEND": "hoptac.core.cache.FileCache",
            "LOCATION": str(Path(env_str("HOPTAC_CACHE_DIR") or VAR_DIR / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 50_000},
            "KEY_PREFIX": _CACHE_PREFIX,
        },
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "hoptac-ratelimit",
        },
        # Live progress of background jobs: written by the worker, read by the web processes.
        "jobs": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(Path(env_str("HOPTAC_CACHE_DIR") or VAR_DIR / "cache") / "jobs"),
            "KEY_PREFIX": _CACHE_PREFIX,
        },
    }
# Background jobs (hoptac.core.jobs): django-tasks' database backend, run by `hoptac worker`
# (no broker). A result file is kept JOB_RESULT_HOURS; a job whose worker died is run again
# until it has been tried JOB_MAX_ATTEMPTS times; workers check every JOB_CHECK_SECONDS.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOB_RESULT_HOURS = env_int("HOPTAC_JOB_RESULT_HOURS", 24)
JOB_MAX_ATTEMPTS = env_int("HOPTAC_JOB_MAX_ATTEMPTS", 2)
JOB_CHECK_SECONDS = env_int("HOPTAC_JOB_CHECK_SECONDS", 30)
# Imports of more rows than this (counted from the file before checking) and exports of more
# organisations run as jobs; smaller ones answer in the request as before.
IMPORT_JOB_ROWS = env_int("HOPTAC_IMPORT_JOB_ROWS", 2000)
EXPORT_JOB_ROWS = env_int("HOPTAC_EXPORT_JOB_ROWS", 5000)
# Started once a day by the workers from this hour (local time) on: `launch(key, day)` functions.
DAILY_JOBS = ["hoptac.reporting.jobs.launch_daily_reminders"]
DAILY_JOBS_HOUR = env_int("HOPTAC_DAILY_JOBS_HOUR", 6)

# Content-Security-Policy on every page (django-csp): scripts and styles only from our own
# static files, no inline code or style attributes (page behaviours are in
# static/hoptac/behaviours.js); images also from data: URLs (Bootstrap's icons are such URLs).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Public traceability page: requests a minute from one address (per server process) before
# HTTP 429, and how long a rendered page is reused (any new event on the lot refreshes it).
TRACE_RATE_PER_MINUTE = env_int("HOPTAC_TRACE_RATE_PER_MINUTE", 120)
TRACE_PAGE_SECONDS = env_int("HOPTAC_TRACE_PAGE_SECONDS", 600)
# A lot is marked "expiring soon" on its pages and in the lot list this many days before its expiry date.
TRACE_EXPIRING_DAYS = env_int("HOPTAC_TRACE_EXPIRING_DAYS", 30)
# The public address printed in QR codes (e.g. https://hoptac.quangtri.gov.vn); default: the request's.
PUBLIC_URL = env_str("HOPTAC_PUBLIC_URL") or ""

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # vendored Bootstrap, htmx, ECharts and hoptac's own assets
STATIC_ROOT = Path(env_str("HOPTAC_STATIC_ROOT") or VAR_DIR / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("HOPTAC_MEDIA_ROOT") or VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if LOCAL
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "hoptac.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "hoptac.core.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "hoptac.core.api.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "hoptac.core.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # The API speaks ISO dates and plain numbers whatever the UI language.
    "COERCE_DECIMAL_TO_STRING": False,
    "DATE_INPUT_FORMATS": ["iso-8601"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "hoptac API",
    "DESCRIPTION": "Registry of Vietnam's collective economy: administrative units and organisations.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # If-Match / 412 / ETag on the operations that honour them (optimistic concurrency, issue 14);
    # then one error body for every other 4xx (setdefault: the 412 keeps its StaleVersion body).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "hoptac.core.concurrency.openapi_conditional",
        "hoptac.core.openapi.add_error_responses",
    ],
    # Path converters with their bounds (hoptac.core.validation).
    "PATH_CONVERTER_OVERRIDES": {
        "year": {"type": "integer", "minimum": 1990, "maximum": 2100},
        "int": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
    },
}

# Approval of annual figures: 1 = an officer in scope approves; 2 = a commune officer reviews,
# then a province (or former-district) officer approves.
HOPTAC_APPROVAL_LEVELS = env_int("HOPTAC_APPROVAL_LEVELS", 1, allowed={1, 2})

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

EMAIL_BACKEND = env_str("HOPTAC_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("HOPTAC_FROM_EMAIL", "hoptac@localhost")
EMAIL_HOST = env_str("HOPTAC_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("HOPTAC_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("HOPTAC_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("HOPTAC_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("HOPTAC_EMAIL_TLS", False)

SESSION_COOKIE_SECURE = env_bool("HOPTAC_SECURE_COOKIES", not LOCAL)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# A session ends after HOPTAC_SESSION_IDLE_MINUTES without a request (renewed on each one) and at
# the latest HOPTAC_SESSION_MAX_HOURS after sign-in (core.middleware.SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = env_int("HOPTAC_SESSION_IDLE_MINUTES", 60) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_MAX_SECONDS = env_int("HOPTAC_SESSION_MAX_HOURS", 12) * 3600
BEHIND_PROXY = env_bool("HOPTAC_BEHIND_PROXY", False)  # also: client address from X-Forwarded-For
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# TLS is terminated by the proxy in front: plain HTTP is redirected, and browsers are told to use
# HTTPS only (HSTS) for a year. A deployment without TLS (never in production) sets HOPTAC_TLS=0.
TLS = env_bool("HOPTAC_TLS", BEHIND_PROXY and not LOCAL)
SECURE_SSL_REDIRECT = TLS
SECURE_REDIRECT_EXEMPT = [r"^livez$"]  # the proxy's health check speaks plain HTTP on loopback
SECURE_HSTS_SECONDS = env_int("HOPTAC_HSTS_SECONDS", 31_536_000) if TLS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HOPTAC_HSTS_SUBDOMAINS", True)
# "preload" only consents to the browsers' HTTPS-only list; submitting the domain stays a decision.
SECURE_HSTS_PRELOAD = env_bool("HOPTAC_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Uploaded documents are served by access-checked views; with nginx (or Apache) in front, the
# bytes are sent by the proxy from an internal location (see README): "", "nginx" or "apache".
HOPTAC_SENDFILE = env_str("HOPTAC_SENDFILE", "")
if HOPTAC_SENDFILE not in ("", "nginx", "apache"):
    raise ImproperlyConfigured("HOPTAC_SENDFILE must be empty, nginx or apache.")
# Django's admin pages write outside the audited services, so they are off. HOPTAC_BREAK_GLASS_ADMIN=1
# mounts them for superusers only, in an emergency; each change there is copied to the audit trail.
BREAK_GLASS_ADMIN = env_bool("HOPTAC_BREAK_GLASS_ADMIN", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("HOPTAC_LOG_LEVEL", "WARNING")},
}
