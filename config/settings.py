"""Settings for Openness Atlas, read from the environment.

Development: DJANGO_DEBUG=true (the Makefile sets it); without DATABASE_URL an embedded
PostgreSQL is started in .pgdata/. Production: DJANGO_DEBUG=false (the default) and
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL are required.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None or value == "":
        raise ImproperlyConfigured(
            f"{name} must be set when DJANGO_DEBUG is false (see README.md, 'Production')."
        )
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: str | None = None) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env(
    "DJANGO_SECRET_KEY", "insecure-development-key-never-in-production" if DEBUG else None
)
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver" if DEBUG else None
)
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "simple_history",
    "import_export",
    "axes",
    "provisions",
    "comparisons",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # These two only add headers to responses; this early, they also cover /healthz's.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # /healthz, answered before CommonMiddleware checks the Host header (config/health.py).
    "config.health.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Old URLs of renamed records answer 301 to the new ones (provisions/renames.py).
    "provisions.middleware.MovedPathFallbackMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A database outage answers a friendly 503 page (config/outage.py).
    "config.outage.DatabaseOutageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
            # The public atlas's tag libraries live in its feature packages, not in one
            # app-level templatetags folder; {% load atlas_text %} etc. find them here.
            "libraries": {
                "atlas_lang": "comparisons.web.templatetags.atlas_lang",
                "atlas_text": "comparisons.web.templatetags.atlas_text",
                "sharing": "comparisons.web.templatetags.sharing",
                "matrix_cells": "comparisons.matrix.templatetags.matrix_cells",
                "model_reach": "comparisons.ai_models.templatetags.model_reach",
            },
        },
    },
]

# Database: DATABASE_URL wins; development and tests fall back to an embedded PostgreSQL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    if not DEBUG:
        env("DATABASE_URL")  # raises the one-line message
    from config import devdb

    DATABASE_URL = devdb.database_url()
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Fail in seconds, not minutes, when the database is unreachable or partitioned: a fast 503
# (config/outage.py) instead of requests that hang until gunicorn kills the worker.
SERVING = os.environ.get("ATLAS_SERVING") == "web"  # set by config/wsgi.py and asgi.py


def seconds(name: str, default: str) -> float | None:
    value = float(os.environ.get(name, default))
    return value if value > 0 else None


if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL with a client-side deadline on every answer (config/database/base.py).
    DATABASES["default"]["ENGINE"] = "config.database"
    # Web requests: a statement may run 5 s on the server, and the client waits at most 1 s
    # more for any answer; the health check before a request's first query waits 1 s.
    # Commands (migrate, load_atlas, a restore) run without these limits unless set.
    STATEMENT_TIMEOUT = seconds("DJANGO_DB_STATEMENT_TIMEOUT", "5" if SERVING else "0")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": 2,
            # A dead peer is noticed on an idle connection (keepalives) and on a busy one
            # (unacknowledged data for 3 s), by the kernel, not after TCP's ~15 minutes.
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 2,
            "keepalives_count": 3,
            "tcp_user_timeout": 3000,
            "answer_timeout": STATEMENT_TIMEOUT and STATEMENT_TIMEOUT + 1,
            "health_timeout": seconds("DJANGO_DB_HEALTH_TIMEOUT", "1" if SERVING else "0"),
        }
    )
    # No JIT compilation: it pays off for long analytic queries, never for a page's. A search
    # statement with many subplans, estimated costly, spent 7 s compiling (inlining and
    # optimising 270 functions) to run for 0.4 s at 100x data.
    server_options = ["-c jit=off"]
    if STATEMENT_TIMEOUT:
        server_options.append(f"-c statement_timeout={int(STATEMENT_TIMEOUT * 1000)}")
    options = DATABASES["default"]["OPTIONS"].get("options", "")
    DATABASES["default"]["OPTIONS"]["options"] = " ".join([options, *server_options]).strip()
# A read replica for public pages (config/routers.py): same options as the primary, its own
# address. Tests mirror it onto the primary's test database.
if DATABASE_REPLICA_URL := os.environ.get("DATABASE_REPLICA_URL"):
    replica = dj_database_url.parse(DATABASE_REPLICA_URL)
    DATABASES["replica"] = {
        **DATABASES["default"],
        **{key: replica[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")},
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.routers.PublicReadsRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default, Redis when REDIS_URL is set. A Redis outage is a cache miss,
# never an error page (config/cache.py).
if REDIS_URL := os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "config.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "atlas",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Failed logins are throttled by django-axes: after AXES_FAILURE_LIMIT failures for one user
# from one address, or from one address whatever the usernames (one password sprayed across
# many accounts), further attempts answer 429 until the cool-off ends (or `axes_reset`). The
# address is the client's (config/clientip.py): read from X-Forwarded-For only when
# DJANGO_PROXY_SETS_X_FORWARDED_FOR says our proxy sets it. Behind a proxy without it, every
# editor shares the proxy's address, so the lockout is by username and address only.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = "config.clientip.lockout_parameters"
AXES_CLIENT_IP_CALLABLE = "config.clientip.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "locked_out.html"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# urlize (the copies read, named with each text) links bare domains as https://, not http://.
URLIZE_ASSUME_HTTPS = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/")
# Rows one admin import may hold: each is checked like a form, and a preview must end within
# about 10 s under load. Measured 2026-12-07: 70-80 ms a row under load at 59 queries a row;
# now 35 queries a row (the preview writes no history), so about 45 ms a row: 200 rows ≈ 9 s.
# (On a 2-core machine at load 11, 400 rows took 132 s: about 9 ms a query.)
ATLAS_IMPORT_MAX_ROWS = int(os.environ.get("DJANGO_IMPORT_MAX_ROWS", "200"))
# Bytes one import file may hold, checked before it is parsed (200 long rows are well under).
ATLAS_IMPORT_MAX_BYTES = int(os.environ.get("DJANGO_IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))
# The editors' desk lists records checked longer ago than this (provisions/desk.py).
DESK_STALE_AFTER_DAYS = int(os.environ.get("DJANGO_DESK_STALE_AFTER_DAYS", "183"))  # 6 months

# Security headers. Strict CSP: no inline script or style, no eval.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
# X-Forwarded-Proto says "this came in over HTTPS" only when our own proxy sets it (and strips a
# client's): trusted from anyone, it would let a client on plain HTTP pass for HTTPS.
if env_bool("DJANGO_PROXY_SETS_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Likewise X-Forwarded-For names the client (for the login throttle) only when our proxy
# appends the address it saw to it.
PROXY_SETS_X_FORWARDED_FOR = env_bool("DJANGO_PROXY_SETS_X_FORWARDED_FOR", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# The read-only JSON API (comparisons/opendata/api.py): JSON only (no browsable API: its inline
# assets would break the strict CSP), anonymous, no sessions, filtered by django-filter.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Openness Atlas API",
    "DESCRIPTION": (
        "Read-only access to the published atlas: jurisdictions, instruments, provisions, "
        "topics and arguments. Our summaries are licensed CC BY 4.0; official texts quoted "
        "carry their own terms. Every record has a stable `id`, its HTML permalink (`url`) "
        "and its `api_url`.\n\n"
        "**1.1.0 (2026-11-30): the pages' vocabulary.** Filters take the names and values of "
        "the pages' query strings: `j` (was `jurisdiction`), `binding=yes|no` (was "
        "`true|false`), `evidence` (was `evidence_kind`), `country`, `weights`, `osi` (were "
        "`provider_country`, `weights_access`, `licence_osi`); repeatable filters take several "
        "values (any matches), and an unknown value in one is ignored and reported in the "
        "answer's `messages`, as on the pages. The old names and values are deprecated: they "
        "answer the same until 2027-05-31, with a note in `messages`."
    ),
    "VERSION": "1.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "comparisons.opendata.api.document_empty_filters",
    ],
    "LICENSE": {
        "name": "CC BY 4.0 (our summaries)",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    },
    # One name for a choice set that several fields share (model profiles).
    "ENUM_NAME_OVERRIDES": {
        "DisclosureEnum": "provisions.models.ai_models.Disclosure",
        "ModelFactEnum": "provisions.models.ai_models.Fact",
        # Two choice sets named "outcome": a condition's finding, and a jurisdiction's verdict.
        "FindingOutcomeEnum": "provisions.openness.OUTCOMES",
        "VerdictOutcomeEnum": "provisions.openness.RULING_LABELS",
    },
}

# Where readers report an error in a record (a mailto: or an issue tracker URL), shown on the
# About page (/about/#errors). Empty: the page explains what to send but names no address.
ATLAS_ERROR_REPORTS = os.environ.get("ATLAS_ERROR_REPORTS", "")
