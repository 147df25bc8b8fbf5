"""Vietnamese alphabetical order in the database, the same on SQLite and PostgreSQL.

Both databases know a collation named "vi": PostgreSQL through ICU (`CREATE COLLATION vi
(provider = icu, locale = 'vi-VN')`, migration core 0002), SQLite through a Python callback
registered on every new connection (`core.text.vi_compare`: pyuca with CLDR's Vietnamese
tailoring, since PyICU publishes no wheel). So one expression orders names everywhere:
`queryset.order_by(*by_name("name"))`, or `Meta.ordering = [vi("name"), "id"]`.
"""

from __future__ import annotations

from django.db.models import F
from django.db.models.expressions import OrderBy
from django.db.models.functions import Collate

from hoptac.core.text import vi_compare

VI_COLLATION = "vi"


def vi(field: str, descending: bool = False) -> OrderBy:
    """`field` (a name) in Vietnamese alphabetical order, for order_by() and Meta.ordering."""
    expression = Collate(F(field), VI_COLLATION)
    return expression.desc() if descending else expression.asc()


def by_name(*fields: str) -> list:
    """order_by() arguments: names ("name", "commune__name", "-name") in Vietnamese order, the rest as given."""
    order: list = []
    for field in fields:
        bare = field.lstrip("-")
        if bare == "name" or bare.endswith("__name"):
            order.append(vi(bare, descending=field.startswith("-")))
        else:
            order.append(field)
    return order


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: teach a new SQLite connection the "vi" collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(VI_COLLATION, vi_compare)


def order_by_names(*fields: str):
    """A django-tables2 `order_<column>` method: the column sorted as Vietnamese names."""

    def order(table, queryset, is_descending):
        return queryset.order_by(*(vi(f, descending=is_descending) for f in fields), "pk"), True

    return order
