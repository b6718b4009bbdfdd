"""Test-wide settings and the named people every test can use."""

import tempfile

import pytest
from django.conf import settings


def pytest_configure(config):
    # Hashed static names need collectstatic; tests serve files as they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Uploaded files go to a throwaway folder, never into ./data.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="frontline-test-media-")
    # MD5 keeps the suite fast; test_auth proves the real first hasher is Argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _flush_lifts_the_audit_triggers()


def _flush_lifts_the_audit_triggers():
    """After a transactional test Django flushes every table; the audit log's triggers
    refuse that (as they must in production), so the test teardown lifts them around it."""
    from django.db import connections
    from django.test import TransactionTestCase

    teardown = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        from frontline.core.tests.fixtures import audit_log_flushable

        with audit_log_flushable(connections["default"]):
            teardown(self)

    TransactionTestCase._fixture_teardown = _fixture_teardown


@pytest.fixture(autouse=True)
def _fresh_process_cache():
    """Each test starts with an empty cache: role paths are cached by user id and version,
    and ids come round again when each test's rows are rolled back."""
    from django.core.cache import cache

    cache.clear()


pytest_plugins = ["frontline.core.tests.fixtures"]
