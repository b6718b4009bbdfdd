"""Benchmark settings: the app's own, plus the django-import-export baseline and its table."""

import os
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "import_export", "bench.plain"]
OUT = Path(os.environ.get("BENCH_OUT", BASE_DIR / "bench" / "out"))
if not os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": OUT / "bench.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The list page is timed through Django's test client: its host, and static names unhashed.
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
