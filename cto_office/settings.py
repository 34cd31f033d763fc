"""Settings for CTO Office, all read from the environment.

Every value has an embedded default that runs the app on one machine with no
services: SQLite in the project folder, Celery tasks executed eagerly in the
web process, e-mail printed to the console. Production sets the variables
listed in the README. A value that cannot be parsed raises
``ImproperlyConfigured`` at start-up rather than being silently ignored
(the approach of healthchecks' ``hc/settings.py``); secrets may also be read
from a file named by ``<NAME>_FILE`` (Docker and Kubernetes secrets).
"""

from __future__ import annotations

import os
import zoneinfo
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    """Return ``$NAME``, or the contents of the file named by ``$NAME_FILE``.

    Raises ``ImproperlyConfigured`` when neither is set and there is no default,
    or when both are set (which one wins would be a guess).
    """
    value = os.environ.get(name)
    file_name = os.environ.get(f"{name}_FILE")
    if value is not None and file_name:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    if value is not None:
        return value
    if default is None:
        raise ImproperlyConfigured(f"The environment variable {name} is required.")
    return default


def env_bool(name: str, default: bool) -> bool:
    """Return ``$NAME`` as a boolean; accepts 1/0, true/false, yes/no, on/off.

    Anything else raises ``ImproperlyConfigured`` (``DEBUG=ture`` must not mean False).
    """
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false).")


def env_int(name: str, default: int) -> int:
    """Return ``$NAME`` as an integer; a non-integer raises ``ImproperlyConfigured``."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    """Return ``$NAME`` split on commas, blanks dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, parse, default: str) -> dict:
    """Parse ``$NAME`` with one of django-environ's URL parsers, failing loudly."""
    raw = env_str(name, default)
    try:
        return parse(raw)
    except Exception as exc:  # the parsers raise several types; all mean "bad URL"
        raise ImproperlyConfigured(f"{name} is not a valid URL: {exc}") from exc


def env_database(name: str, default: str) -> dict:
    """Parse a database URL (``postgres://``, ``sqlite:///``) into a ``DATABASES`` entry.

    A scheme Django has no backend for raises ``ImproperlyConfigured``.
    """
    config = env_url(name, environ.Env.db_url_config, default)
    if not config["ENGINE"].startswith("django.db.backends."):
        raise ImproperlyConfigured(f"{name} names an unknown database: {config['ENGINE']!r}.")
    return config


DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env_str("SECRET_KEY", default="insecure-development-key-only" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
    raise ImproperlyConfigured(f"TIME_ZONE={TIME_ZONE!r} is not an IANA time zone.") from exc
USE_TZ = True
LANGUAGE_CODE = "en-gb"
USE_I18N = False

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
    "axes",
    "template_partials",
    "cto_office",
    "cadence",
    "actions",
    "briefings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "cto_office.middleware.OfficeTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cto_office.urls"
WSGI_APPLICATION = "cto_office.wsgi.application"

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
                "cto_office.context_processors.roles",
            ],
        },
    }
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's connection pool; CONN_MAX_AGE must stay 0 with a pool.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = True
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # With a pool, CONN_HEALTH_CHECKS makes Django give it psycopg's ``check``:
    # a connection is tested (one empty query) as it leaves the pool and replaced
    # if the server dropped it (a restart, a failover, an idle timeout), where the
    # next request used to get the dead one and fail with a 500.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Login throttling with django-axes (a well-kept library, rather than our own
# counter): after AXES_FAILURE_LIMIT wrong passwords for one username from one
# address, sign-in is refused for AXES_COOLOFF_TIME hours, for the admin too.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0) or None  # proxies in front (X-Forwarded-For)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

_email = env_url("EMAIL_URL", environ.Env.email_url_config, "consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
# Seconds an SMTP connection may wait for the server; Django's default (none)
# let a hung server hold a worker until the task's time limit killed it.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CTO Office <cto-office@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
#: First retry delay of a mail refused with a 4xx or a dropped connection (cto_office.mail).
MAIL_RETRY_BACKOFF_SECONDS = 30

# Celery: with REDIS_URL unset, tasks run eagerly in the calling process so the
# embedded default needs no broker (see README, "Background jobs").
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"  # never used while eager
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Nothing reads a task's return value: what a job did is in the database (the
# Briefing row, ChaseNotice rows). Storing no result also means enqueueing
# touches only the broker, not the result backend's pub/sub channel, whose
# default retry policy blocked a request for 19 s with Redis down and then
# reported "the Celery application must be restarted" (untrue).
CELERY_TASK_IGNORE_RESULT = True
# Publishing with Redis down gives up after about a second (three attempts,
# half a second apart; the connection refused or timing out after 2 s), so a
# page that enqueues answers quickly and says what happened (briefings.tasks.
# briefing_enqueue) instead of hanging (Celery docs, "task_publish_retry_policy").
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
# autodiscover_tasks() finds the apps' tasks.py; the mail base's task lives in
# cto_office/mail.py, which a worker would otherwise not import, refusing every
# mail as an unregistered task.
CELERY_IMPORTS = ["cto_office.mail"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Time limits for every task (Celery docs, "task_time_limit", "task_soft_time_limit"):
# the briefing takes seconds (about 14 s at 2,000 engineers), so a task still
# running after 4 minutes gets SoftTimeLimitExceeded and is killed at 5.
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TASK_TIME_LIMIT = 5 * 60
# Redis redelivers a message that is not acknowledged within the visibility
# timeout (Celery docs, "Using Redis" → "Visibility timeout"; default 1 hour).
# With acks_late that is how the task of a SIGKILLed worker comes back, so an
# hour is an hour of "pending". It must still exceed the longest time a message
# is legitimately held unacknowledged: a retry's countdown (ETA messages are
# held by the worker, Redis caveats in the same page; the longest today is the
# briefing's fifth retry, 30 s × 2⁴ = 480 s) plus the time limit (300 s).
# 15 minutes covers both; a task with a longer countdown must raise this.
# The countdowns are capped by TASK_RETRY_COUNTDOWN_MAX (cto_office.mail,
# briefings.tasks); tests/faults/test_worker_killed.py checks the sum.
TASK_RETRY_COUNTDOWN_MAX = 8 * 60
# The socket timeouts (kombu docs, "Redis transport options") bound a publish
# to a broker that vanished without closing the connection, which otherwise
# waits forever.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": TASK_RETRY_COUNTDOWN_MAX + CELERY_TASK_TIME_LIMIT + 2 * 60,  # 15 min
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_TIMEZONE = TIME_ZONE
# The one schedule. The hourly tick reads OfficeSettings (briefing weekday and
# hour, in the office's time zone) and enqueues the briefing when it is due,
# so the CoS changes the schedule in admin without a deploy.
CELERY_BEAT_SCHEDULE = {
    "weekly-briefing-tick": {
        "task": "briefings.tasks.generate_due_briefing",
        "schedule": crontab(minute=5),
    },
    "daily-chase-tick": {
        "task": "actions.tasks.chase_due_tick",
        "schedule": crontab(minute=10),
    },
    # Pre-read reminders (hours before the meeting in OfficeSettings) and the series horizon.
    "pre-read-reminder-tick": {
        "task": "cadence.tasks.send_pre_read_reminders",
        "schedule": crontab(minute=15),
    },
    "series-schedule-daily": {
        "task": "cadence.tasks.schedule_series_occurrences",
        "schedule": crontab(hour=2, minute=30),
    },
    "briefing-auto-publish-tick": {
        "task": "briefings.tasks.publish_due_briefing",
        "schedule": crontab(minute=10),
    },
    # Key-result owners who have not checked in: the day before the briefing, at the chase hour.
    "check-in-reminder-tick": {
        "task": "briefings.tasks.send_check_in_reminders",
        "schedule": crontab(minute=20),
    },
}

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from <body hx-headers>, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 30)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content Security Policy (django-csp 4): only our own scripts and styles, no
# inline code, no eval; htmx is configured accordingly in static/js/app.js.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "WARNING"}},
}
