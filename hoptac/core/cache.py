"""Data versions, so computed values can be cached safely, and invalidated by area.

Indicator values are read far more often than data changes. Cached values are keyed by
versions that writes bump once their transaction commits, so a value is never served after a
change that affects it:

- the data version (`data_version`, `bump`): bumped by a write that cannot be placed in an
  area (a rubric, a plan target, a unit change set); part of every key;
- a version per administrative unit (`unit_version`, `bump_units`; unit 0 is the country): a
  write placed in an area (`core.changes`) bumps the units it touches, its commune, former
  commune, their ancestors and the former units covering them, and the country, and nothing
  else, so an approval in Lâm Đồng leaves Quảng Trị's cached values valid.

The cache must be shared by all server processes (the default file cache under var/ is, on one
machine). Versions start from the clock, so a version key lost (culled, cleared) never meets
values cached under an earlier one.
"""

import random
import time
from collections.abc import Iterable

from django.core.cache import cache
from django.core.cache.backends.filebased import FileBasedCache
from django.db import transaction

KEY = "hoptac:data-version"
UNIT_KEY = "hoptac:unit-version:%s"
COUNTRY = 0  # the unit id of the whole country in unit versions


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


def bump_on_commit() -> None:
    """Bump the data version once the transaction commits, once per transaction (a
    100,000-row import registers it once, not 100,000 times)."""
    connection = transaction.get_connection()
    if any(hook[1] is bump for hook in connection.run_on_commit[-8:]):
        return
    transaction.on_commit(bump)


def unit_versions(unit_ids: Iterable[int]) -> dict[int, int]:
    """The current version of each unit (COUNTRY for the whole country), in one cache read."""
    ids = list(dict.fromkeys(unit_ids))
    found = cache.get_many([UNIT_KEY % i for i in ids])
    versions = {}
    for unit_id in ids:
        version = found.get(UNIT_KEY % unit_id)
        if version is None:
            cache.add(UNIT_KEY % unit_id, _fresh_version(), timeout=None)
            version = cache.get(UNIT_KEY % unit_id) or _fresh_version()
        versions[unit_id] = version
    return versions


def unit_version(unit_id: int | None) -> int:
    return unit_versions([unit_id or COUNTRY])[unit_id or COUNTRY]


def bump_units(unit_ids: Iterable[int]) -> None:
    for unit_id in {*unit_ids, COUNTRY}:
        key = UNIT_KEY % unit_id
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, _fresh_version(), timeout=None)


def bump_units_on_commit(unit_ids: Iterable[int]) -> None:
    ids = frozenset(unit_ids)
    transaction.on_commit(lambda: bump_units(ids))


class FileCache(FileBasedCache):
    """Django's file cache, checking whether to cull on 1 write in 64 instead of on every write.

    The check lists the whole cache directory: with thousands of cached indicator values and
    pages it cost more than computing the value (2 ms a write at 1,000 files, growing with them).
    The directory may exceed MAX_ENTRIES by a few dozen entries between checks.
    """

    def _cull(self):
        if random.random() < 1 / 64:
            super()._cull()  # type: ignore[misc]  # private in Django, so absent from django-stubs
