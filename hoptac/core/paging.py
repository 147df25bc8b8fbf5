"""Paging that does not slow down with the country: a cap on how deep a list pages.

A page N rows down costs N rows of index walk (OFFSET), however good the index on the list's
default order is. Lists page up to `settings.LIST_PAGE_CAP` pages (default 200: 5,000 rows at
25 a page, each answered from the index); a list holding more says so and asks for a search or
a filter to narrow it (`paginator.capped`, `paginator.total`). The count shown is the real one.
"""

from functools import cached_property

from django.conf import settings
from django.core.paginator import Paginator


def page_cap() -> int:
    return int(getattr(settings, "LIST_PAGE_CAP", 200))


class CappedPaginator(Paginator):
    @cached_property
    def total(self) -> int:
        """Every row of the list, as the count above it says."""
        return super().count

    @cached_property
    def count(self) -> int:
        return min(self.total, page_cap() * self.per_page)

    @property
    def capped(self) -> bool:
        return self.total > self.count
