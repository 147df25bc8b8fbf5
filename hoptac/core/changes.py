"""What a write changed, told to whoever keeps data derived from it.

Every audited write passes through `core.audit.record` / `record_many` (and the import's fast
path through `written`), inside its transaction and after the rows are saved. Apps that keep
derived data register a listener from their `AppConfig.ready()`:

- the indicators' rollup (`hoptac.indicators.rollup`) recomputes the cells a write touches, in
  the same transaction, so it commits or rolls back with the write;
- the same app says which administrative units a write touches (`locate`), so that only the
  cached values of those units are invalidated (`core.cache.bump_units`), not the whole country;
- the traceability app re-renders the public pages of the lots a write touches.

A write no locator can place (a rubric, a plan target, a unit's population) invalidates every
cached value, as before (`core.cache.bump`). Core knows no domain model: listeners look at
`instance._meta.label`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction

# (instance, snapshot before or None, snapshot after or None)
Change = tuple[Any, dict | None, dict | None]
Listener = Callable[[list[Change]], None]
# Returns the unit ids the changes touch, or None when it cannot place them all.
Locator = Callable[[list[Change]], set[int] | None]

_listeners: list[Listener] = []
_locators: list[Locator] = []


def listen(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def locate_with(locator: Locator) -> None:
    if locator not in _locators:
        _locators.append(locator)


def units_touched(changes: list[Change]) -> set[int] | None:
    """The units whose cached values the changes make stale; None: every unit (not placed)."""
    for locator in _locators:
        found = locator(changes)
        if found is not None:
            return found
    return None


def written(changes: list[Change]) -> None:
    """Called inside the write's transaction, after the rows are saved."""
    if not changes:
        return
    from hoptac.core import cache  # here: cache imports nothing of ours, audit imports both

    for listener in list(_listeners):
        listener(changes)
    units = units_touched(changes)
    if units is None:
        cache.bump_on_commit()
    else:
        cache.bump_units_on_commit(units)


def written_many(instances: Iterable[Any]) -> None:
    """Rows created in bulk without snapshots (the import's fast path)."""
    written([(instance, None, None) for instance in instances])


def on_commit(fn: Callable[[], None]) -> None:
    transaction.on_commit(fn)
