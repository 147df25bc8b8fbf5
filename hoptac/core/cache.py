"""A data version that every write bumps, so computed values can be cached safely.

Indicator values are read far more often than data changes. Each audited write bumps the
version once its transaction commits; cached values are keyed by the version and so are
never served after a change. The cache must be shared by all server processes (the default
file cache under var/ is, on one machine).
"""

import random
import time

from django.core.cache import cache
from django.core.cache.backends.filebased import FileBasedCache

KEY = "hoptac:data-version"


def _fresh_version() -> int:
    """A version no earlier process used: if the key was evicted (the file cache culls entries
    when full) or deleted, counting again from 1 would meet values cached under old versions."""
    return time.time_ns() // 1000


def data_version() -> int:
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, _fresh_version(), timeout=None)
        version = cache.get(KEY) or _fresh_version()
    return version


def bump() -> None:
    try:
        cache.incr(KEY)
    except ValueError:
        cache.set(KEY, _fresh_version(), timeout=None)


class FileCache(FileBasedCache):
    """Django's file cache, checking whether to cull on 1 write in 64 instead of on every write.

    The check lists the whole cache directory: with thousands of cached indicator values and
    pages it cost more than computing the value (2 ms a write at 1,000 files, growing with them).
    The directory may exceed MAX_ENTRIES by a few dozen entries between checks.
    """

    def _cull(self):
        if random.random() < 1 / 64:
            super()._cull()  # type: ignore[misc]  # private in Django, so absent from django-stubs
