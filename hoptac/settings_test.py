"""Settings for the test suite: the real settings with a fixed key and a fast password hasher.

The database still comes from DATABASE_URL, so the same suite runs on SQLite and PostgreSQL.
"""

import os

os.environ.setdefault("HOPTAC_SECRET_KEY", "test-only-key-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("HOPTAC_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from hoptac.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
# No collectstatic in tests: files are found in place (STATICFILES_DIRS and the apps).
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = PACKAGE_DIR / "static"  # noqa: F405  (exists, so WhiteNoise does not warn)
# Each test rolls back its data without committing, so nothing would bump the data version:
# tests compute indicators afresh (one test checks the cache with a local-memory cache).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-ratelimit"},
    "jobs": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-jobs"},
}
# Jobs run at once, inside the request that starts them (the worker is tested in
# core/tests/test_several_servers.py with the database backend and real processes).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
