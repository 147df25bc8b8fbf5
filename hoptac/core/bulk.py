"""Bulk steps (a 100,000-row file read, checked and written) without the cyclic collector.

Such a step keeps millions of small objects alive at once (the sheet's cells, each row's values,
the rows to write). CPython's cyclic collector walks every live object of the older generation
each time enough new ones were allocated, so its work grew with the file: 1.5 s of a 6 s dry run
of 100,000 rows. Reference counting still frees every object that is not in a cycle; the
collector runs again when the outermost step ends. It is paused for the whole process, so other
threads go without it for those seconds too (their cycles are collected afterwards).
"""

from __future__ import annotations

import contextlib
import gc
import threading

_lock = threading.Lock()
_depth = 0


class collector_paused(contextlib.ContextDecorator):
    """`with collector_paused():` or `@collector_paused()`; nested or concurrent uses end
    together: the collector is turned back on by the last one out, if it was on before."""

    _was_enabled = False

    def __enter__(self):
        global _depth
        with _lock:
            if _depth == 0:
                collector_paused._was_enabled = gc.isenabled()
                gc.disable()
            _depth += 1
        return self

    def __exit__(self, *exc):
        global _depth
        with _lock:
            _depth -= 1
            if _depth == 0 and collector_paused._was_enabled:
                gc.enable()
        return False
