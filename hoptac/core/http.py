"""Who is asking, and how often: the client's address behind our proxy, and fixed-window limits.

Counters live in the "ratelimit" cache: Redis when HOPTAC_REDIS_URL is set (one count for every
worker and machine: INCR is atomic there), otherwise this process's memory.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches
from django.http import Http404


def client_address(request) -> str:
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.rsplit(",", 1)[-1].strip()  # the address our own proxy saw
    return request.META.get("REMOTE_ADDR", "")


def hit(scope: str, who: str, window_seconds: int) -> int:
    """Counts one request of `who` in the current window of `scope`; returns the count so far."""
    counters = caches["ratelimit"]
    key = f"{scope}:{who}:{int(time.time() // window_seconds)}"
    counters.add(key, 0, timeout=window_seconds * 2)
    try:
        return counters.incr(key)
    except ValueError:  # evicted between add and incr
        counters.set(key, 1, timeout=window_seconds * 2)
        return 1


def count(scope: str, who: str, window_seconds: int) -> int:
    return caches["ratelimit"].get(f"{scope}:{who}:{int(time.time() // window_seconds)}", 0)


def over_limit(request, scope: str, per_minute: int) -> bool:
    return hit(scope, client_address(request), 60) > per_minute


class NotFound(Http404):
    """A 404 whose message is written for the person reading the page ("No lot has this trace
    code."); other 404s carry messages naming models and queries, which the page never shows."""
