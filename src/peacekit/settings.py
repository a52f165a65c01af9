"""Django settings for peacekit, read from the environment.

Defaults are safe for production (DEBUG off, secure cookies, HSTS, CSP); the demo turns on
DEBUG explicitly. The embedded default database is SQLite in WAL mode in PEACEKIT_DATA_DIR.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean from the environment ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def cache_from_url(url: str) -> dict:
    """Django's default cache from PEACEKIT_CACHE_URL.

    `locmem://` (the default: memory of one process), `db://<table>` (the database cache;
    create the table once with `peacekit createcachetable`; table `peacekit_cache` when none
    is named) or `redis://[:password@]host:port/db` / `rediss://…` (needs the `redis` package).
    Rate limits count in this cache, so several web processes need the database or Redis.
    """
    from urllib.parse import urlsplit

    from django.core.exceptions import ImproperlyConfigured

    url = (url or "").strip() or "locmem://"
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": url.split("://", 1)[1] or "peacekit",
        }
    if scheme == "db":
        table = url.split("://", 1)[1].strip("/") or "peacekit_cache"
        if not table.replace("_", "").isalnum():
            raise ImproperlyConfigured(
                "PEACEKIT_CACHE_URL: db://<table> takes a table name of letters, digits and _."
            )
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": table,
            "KEY_PREFIX": "peacekit",
        }
    if scheme in ("redis", "rediss"):
        if not urlsplit(url).hostname:
            raise ImproperlyConfigured("PEACEKIT_CACHE_URL: a Redis address needs a host.")
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "peacekit",
        }
    # Never echo the value: a Redis address may carry a password.
    raise ImproperlyConfigured(
        "PEACEKIT_CACHE_URL must start with locmem://, db:// or redis:// (rediss://)."
    )


PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PEACEKIT_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("PEACEKIT_DEBUG", False)
TESTING = env_bool("PEACEKIT_TESTING", False)

# A development key is only acceptable with DEBUG on; `check --deploy` flags a weak key.
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    "django-insecure-peacekit-development-key-change-me" if (DEBUG or TESTING) else ""
)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set it in the environment (or PEACEKIT_DEBUG=1 for development)."
    )

# Key(s) for encrypting sensitive fields (raw statement text). Comma-separated Fernet keys;
# the first encrypts, all decrypt (rotation). In development a key is derived from SECRET_KEY.
FIELD_ENCRYPTION_KEYS = env_list("PEACEKIT_FIELD_KEYS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("PEACEKIT_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

PEACEKIT_APPS = [
    "peacekit.core",
    "peacekit.listening",
    "peacekit.surveys",
    "peacekit.evaluations",
    "peacekit.pledges",
    "peacekit.training",
    "peacekit.coaching",
    "peacekit.research",
    "peacekit.reports",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    *PEACEKIT_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "peacekit.core.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "peacekit.core.middleware.TwoFactorMiddleware",
    "peacekit.core.middleware.ActiveOrganizationMiddleware",
]

ROOT_URLCONF = "peacekit.urls"
WSGI_APPLICATION = "peacekit.wsgi.application"
ASGI_APPLICATION = "peacekit.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "peacekit.core.context_processors.navigation",
            ],
        },
    }
]

# Database: DATABASE_URL, else SQLite in the data directory (WAL, persistent connections).
_default_sqlite = f"sqlite:///{DATA_DIR / 'peacekit.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=600, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend plus a queue for writers (see peacekit/core/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "peacekit.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE avoids "database is locked" when a reader upgrades to a writer mid-way.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=20000;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("PEACEKIT_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("PEACEKIT_MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PEACEKIT_MAX_UPLOAD_BYTES = int(os.environ.get("PEACEKIT_MAX_UPLOAD_BYTES", 25 * 1024 * 1024))

# Cache (rate-limit counters): per process by default; shared (db:// or redis://) when several
# web processes serve the site, or each one counts its own limit.
CACHES = {"default": cache_from_url(os.environ.get("PEACEKIT_CACHE_URL", ""))}

# Background jobs: Django's Tasks API with the database backend (SKIP LOCKED on PostgreSQL).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("PEACEKIT_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A running job whose heartbeat is older than this is considered lost and is re-queued.
PEACEKIT_JOB_STALE_SECONDS = int(os.environ.get("PEACEKIT_JOB_STALE_SECONDS", "300"))
# How often each worker looks for public statements waiting for the anonymizer (seconds).
PEACEKIT_ANONYMIZE_SWEEP_SECONDS = float(os.environ.get("PEACEKIT_ANONYMIZE_SWEEP_SECONDS", "2"))
PEACEKIT_EXTRA_JOB_MODULES = env_list("PEACEKIT_EXTRA_JOB_MODULES")

# Email: console in development and the demo, SMTP from the environment in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "peacekit <no-reply@localhost>")

# Privacy: the one minimum cell size for every breakdown by group (reports and exports).
PEACEKIT_MIN_CELL_SIZE = int(os.environ.get("PEACEKIT_MIN_CELL_SIZE", "5"))
PEACEKIT_INVITATION_DAYS = 14
# Administrators (program and agency) must sign in with an authenticator code in production.
PEACEKIT_REQUIRE_TWO_FACTOR = env_bool("PEACEKIT_REQUIRE_TWO_FACTOR", not (DEBUG or TESTING))

# Security. Production defaults are strict; DEBUG relaxes only what local HTTP needs.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("PEACEKIT_SESSION_SECONDS", 8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
_secure = not (DEBUG or TESTING) and not env_bool("PEACEKIT_INSECURE_HTTP", False)
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SECURE_SSL_REDIRECT = _secure and env_bool("PEACEKIT_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if _secure else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _secure
SECURE_HSTS_PRELOAD = _secure
if env_bool("PEACEKIT_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

NINJA_PAGINATION_PER_PAGE = 50
# `?limit=` above this is refused (422) by ninja's default limit/offset paging. (ninja 1.7's
# NINJA_PAGINATION_MAX_OFFSET bounds only cursor paging; endpoints paging a queryset use
# core.api.BoundedLimitOffsetPagination, which also bounds the offset.)
NINJA_PAGINATION_MAX_LIMIT = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PEACEKIT_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}
