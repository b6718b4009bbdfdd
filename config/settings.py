"""Frontline settings: one file, driven by environment variables (see .env.example).

FRONTLINE_ENV=production demands every secret from the environment and turns on
HTTPS-only cookies and HSTS; any other value (the demo, development, tests) keeps
generated secrets in the data folder so that `make run` needs nothing set.
"""

import base64
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_decimal(name: str, default: str) -> str:
    raw = os.environ.get(name) or default
    try:
        float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from None
    return raw


def env_window(name: str, default: str) -> str:
    """A daily window "HH:MM-HH:MM", checked at start-up."""
    raw = os.environ.get(name) or default
    try:
        start, end = (tuple(int(part) for part in hhmm.split(":")) for hhmm in raw.split("-"))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must look like 06:00-12:00, not {raw!r}") from None
    if not (0 <= start[0] < 24 and 0 <= end[0] <= 24 and start < end):
        raise ImproperlyConfigured(f"{name} must look like 06:00-12:00, not {raw!r}")
    return raw


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


FRONTLINE_ENV = env_str("FRONTLINE_ENV", "demo")
PRODUCTION = FRONTLINE_ENV == "production"
# An audit action that no manifest declares is a programming error: it raises, except in
# production, where the user's work is not lost for it (it is logged instead).
AUDIT_ACTIONS_STRICT = env_bool("FRONTLINE_AUDIT_STRICT", not PRODUCTION)
# core/fastpaths.py: the compiled primary-key fetch and PostgreSQL's one-statement audited
# insert. Off, the plain ORM answers the same (tests/test_fastpaths.py).
FAST_PATHS = env_bool("FRONTLINE_FAST_PATHS", True)
DATA_DIR = Path(env_str("FRONTLINE_DATA_DIR", str(BASE_DIR / "data"))).resolve()


def secret_from_env_or_data_dir(name: str, filename: str, make) -> str:
    """A secret from the environment; outside production, generated once into the data folder.

    Production refuses to start without it: a key generated on a server and lost
    with the container would make every encrypted ID number unreadable.
    """
    value = os.environ.get(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when FRONTLINE_ENV=production")
    path = DATA_DIR / filename
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting together must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(make())
    return path.read_text().strip()


SECRET_KEY = secret_from_env_or_data_dir(
    "DJANGO_SECRET_KEY", "secret_key", lambda: secrets.token_urlsafe(64)
)
# AES-256-GCM key for ID numbers and phones at rest, and the HMAC key for their lookup hashes.
FIELD_ENCRYPTION_KEY = base64.b64decode(
    secret_from_env_or_data_dir(
        "FRONTLINE_FIELD_KEY",
        "field_key",
        lambda: base64.b64encode(secrets.token_bytes(32)).decode(),
    )
)
if len(FIELD_ENCRYPTION_KEY) != 32:
    raise ImproperlyConfigured("FRONTLINE_FIELD_KEY must be 32 bytes, base64-encoded")
FIELD_HASH_KEY = base64.b64decode(
    secret_from_env_or_data_dir(
        "FRONTLINE_HASH_KEY", "hash_key", lambda: base64.b64encode(secrets.token_bytes(32)).decode()
    )
)

DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "ninja",
    "frontline.core",
    "frontline.people",
    "frontline.control",
    "frontline.checkpoints",
    "frontline.screening",
    "frontline.errands",
    "frontline.supplies",
    "frontline.party",
    "frontline.teams",
    "frontline.command",
    "frontline.supervision",
    "frontline.community",
    "frontline.enterprises",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost but one: whatever answers an /api/ request with an error, it is JSON.
    "frontline.core.api_errors.ApiJsonMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "frontline.core.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "frontline.core.middleware.PrivateCacheMiddleware",
    # Axes last: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frontline.core.context_processors.navigation",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if "postgresql" in DATABASES["default"]["ENGINE"] and env_bool("FRONTLINE_PG_PREPARED", True):
        # core/fastpaths.py prepares its own statements (found by primary or unique key) at
        # their first run in a connection; the ORM's other queries are never prepared. A
        # transaction-mode pooler older than PgBouncer 1.21 cannot keep a prepared
        # statement: FRONTLINE_PG_PREPARED=false behind one.
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 0
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "frontline.sqlite3",
            "OPTIONS": {
                # WAL lets the page readers go on while an import writes; IMMEDIATE
                # takes the write lock at BEGIN so two writers queue instead of failing.
                # A 64 MB page cache (SQLite's default is 2 MB; it grows only as used)
                # keeps a roster import's random-order index pages in memory: the
                # 100,000-row commit's inserts take a third less time (bench/README.md).
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Kept open like PostgreSQL's: when the last connection to a WAL database
            # closes, SQLite checkpoints and deletes the WAL, so closing after every
            # request made each write pay a checkpoint (bench/README.md).
            "CONN_MAX_AGE": 60,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_URL_PATH = "/login/"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# Lockout (django-axes): by username and by IP together, so one phone cannot
# lock out a whole town's shared NAT address by mistyping one name.
AXES_FAILURE_LIMIT = env_int("FRONTLINE_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("FRONTLINE_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("FRONTLINE_PROXY_COUNT", 0)

# Sessions: an idle timeout (a phone left on a checkpoint table) and an absolute one.
SESSION_IDLE_SECONDS = env_int("FRONTLINE_SESSION_IDLE_MINUTES", 30) * 60
SESSION_ABSOLUTE_SECONDS = env_int("FRONTLINE_SESSION_ABSOLUTE_HOURS", 12) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
API_TOKEN_SECONDS = env_int("FRONTLINE_API_TOKEN_HOURS", 24 * 7) * 3600
# A token unused this long is dead: a phone left in a drawer stops being a key.
API_TOKEN_IDLE_SECONDS = env_int("FRONTLINE_API_TOKEN_IDLE_HOURS", 24) * 3600

# HTTPS hardening: on in production; the demo serves plain HTTP on 127.0.0.1.
HTTPS = env_bool("FRONTLINE_HTTPS", PRODUCTION)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("FRONTLINE_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "frontline" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names let phones cache CSS and JS for a year on a weak network.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploaded files (screening photos) live outside static and are served only through
# views that check scope; there is no public MEDIA_URL.
MEDIA_ROOT = Path(env_str("FRONTLINE_MEDIA_ROOT", str(DATA_DIR / "media")))

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("FRONTLINE_UPLOAD_MAX_MB", 20) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# How much one spreadsheet import may grow a worker while its file is read (core/
# spreadsheets.py checks as it reads and refuses beyond it).
FRONTLINE_IMPORT_MEMORY_MB = env_int("FRONTLINE_IMPORT_MEMORY_MB", 450)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("FRONTLINE_LOG_LEVEL", "INFO")},
    "loggers": {
        # Axes logs usernames and IPs on every failure; a warning level keeps lockouts only.
        "axes": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
# Every API list caps `limit` and `offset` in its schema (core/paging.py).
NINJA_PAGINATION_CLASS = "frontline.core.paging.CappedLimitOffset"

# A reading at or above this many °C is a fever (screening, checkpoints, temperature rounds).
FEVER_THRESHOLD = env_decimal("FRONTLINE_FEVER_THRESHOLD", "37.3")
# Home isolation: default planned days, and the two daily door-step rounds; a slot
# with no reading after its window ends is overdue.
ISOLATION_DAYS = env_int("FRONTLINE_ISOLATION_DAYS", 14)
ROUND_AM_WINDOW = env_window("FRONTLINE_ROUND_AM", "06:00-12:00")
ROUND_PM_WINDOW = env_window("FRONTLINE_ROUND_PM", "12:00-20:00")

# Retention (SECURITY 29–30): FRONTLINE_RETENTION_<KIND>_DAYS, for each kind an app declares
# (`manage.py retention` lists them: passers, readings, screening_persons, referrals), is
# how many days after a record ends it keeps its names, plates and places; then
# `manage.py retention --apply` anonymises it (the rows, and so the counts, stay).
RETENTION_DAYS = {
    key.removeprefix("FRONTLINE_RETENTION_").removesuffix("_DAYS").lower(): env_int(key, 30)
    for key in os.environ
    if key.startswith("FRONTLINE_RETENTION_") and key.endswith("_DAYS")
}
