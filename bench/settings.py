"""Benchmark settings: the app's own, plus the django-import-export baseline and its table."""

import os
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "import_export", "bench.plain"]
OUT = Path(os.environ.get("BENCH_OUT", BASE_DIR / "bench" / "out"))
if not os.environ.get("DATABASE_URL"):
    # The product's own SQLite options (WAL, IMMEDIATE, page cache), in the bench folder.
    DATABASES = {"default": {**DATABASES["default"], "NAME": OUT / "bench.sqlite3"}}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The list page is timed through Django's test client: its host, and static names unhashed.
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
