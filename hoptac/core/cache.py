"""A data version that every write bumps, so computed values can be cached safely.

Indicator values are read far more often than data changes. Each audited write bumps the
version once its transaction commits; cached values are keyed by the version and so are
never served after a change. The cache must be shared by all server processes (the default
file cache under var/ is, on one machine).
"""

from django.core.cache import cache

KEY = "hoptac:data-version"


def data_version() -> int:
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, 1, timeout=None)
        version = cache.get(KEY) or 1
    return version


def bump() -> None:
    try:
        cache.incr(KEY)
    except ValueError:
        cache.set(KEY, 2, timeout=None)
