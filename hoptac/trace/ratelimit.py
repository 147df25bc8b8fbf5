"""The public pages' limit per client address: counted in this process first, shared in batches.

Fixed one-minute windows, as `core.http.over_limit`, but without its two cache calls per request
(pickling, key checks and a lock in this process's memory cost ~100 µs of a ~500 µs page; with
Redis, two round trips).

- Without a shared cache ("ratelimit" is this process's memory, no HOPTAC_REDIS_URL) the count
  is this process's, as before, kept in a dict: an address gets `limit` requests a window from
  each worker.
- With a shared cache (Redis), a process adds its hits to the shared count in batches of
  `batch = limit // 100` (at least 1), and on every hit once the shared count it last read plus
  its unsent hits comes within `batch` of the limit. A process thus admits at most `batch - 1`
  requests the other processes do not know of: over W processes an address gets at most
  `limit + W × (batch - 1)` requests a window. Below 200 a minute (the default is 120) the batch
  is 1: every hit goes to the shared count and the limit is exact, as before.
An address refused once is refused until its window ends without asking the shared cache.
"""

from __future__ import annotations

import threading
import time

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed
from django.dispatch import receiver

from hoptac.core import http

# Addresses remembered in one window before the window's counts are dropped (memory bound: a
# flood of addresses restarts their counts rather than growing the process).
MAX_ADDRESSES = 200_000
WINDOW = 60


class Limiter:
    def __init__(self, clock=time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._window = None
            self._counts: dict[tuple[str, str], list] = {}  # (scope, who) -> [unsent, last shared total]
            self._refused: set[tuple[str, str]] = set()
            self._shared = None

    def _is_shared(self) -> bool:
        if self._shared is None:
            self._shared = not isinstance(caches["ratelimit"], LocMemCache)
        return self._shared

    def over(self, scope: str, who: str, limit: int) -> bool:
        window = int(self._clock() // WINDOW)
        key = (scope, who)
        with self._lock:
            if window != self._window or len(self._counts) > MAX_ADDRESSES:
                self._window, self._counts, self._refused = window, {}, set()
            if key in self._refused:
                return True
            state = self._counts.get(key)
            if state is None:
                state = self._counts[key] = [0, 0]
            state[0] += 1
            if not self._is_shared():
                if state[0] <= limit:
                    return False
                self._refused.add(key)
                return True
            batch = max(1, limit // 100)
            if state[0] < batch and state[1] + state[0] <= limit - batch:
                return False
            hits, state[0] = state[0], 0
        total = self._send(scope, who, window, hits)  # outside the lock: a round trip to Redis
        with self._lock:
            state[1] = max(state[1], total)
            if total > limit and window == self._window:
                self._refused.add(key)
        return total > limit

    @staticmethod
    def _send(scope: str, who: str, window: int, hits: int) -> int:
        """Adds `hits` to the shared count of this window (`core.http.hit`'s key); returns it."""
        counters = caches["ratelimit"]
        key = f"{scope}:{who}:{window}"
        counters.add(key, 0, timeout=WINDOW * 2)
        try:
            return counters.incr(key, hits)
        except ValueError:  # evicted between add and incr
            counters.set(key, hits, timeout=WINDOW * 2)
            return hits


limiter = Limiter()


def over_limit(request, scope: str, per_minute: int) -> bool:
    return limiter.over(scope, http.client_address(request), per_minute)


@receiver(setting_changed)
def _settings_changed(setting, **kwargs):
    """Tests that change the caches or the limit start with fresh counts."""
    if setting in ("CACHES", "TRACE_RATE_PER_MINUTE"):
        limiter.reset()
