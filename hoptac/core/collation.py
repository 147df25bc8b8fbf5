"""Vietnamese alphabetical order in the database, the same on SQLite and PostgreSQL.

PostgreSQL sorts names with ICU's Vietnamese collation (`CREATE COLLATION vi (provider = icu,
locale = 'vi-VN')`, migration core 0002), indexed where a table is large. SQLite sorts by a
stored sort key when the model keeps one (`Organisation.name_key`, `core.text.sort_key`: a
string whose binary order is the Vietnamese order), else through the "vi" collation, a Python
callback registered on every new connection (small tables only: it is called per comparison).
One expression serves both: `vi("name", key="name_key")`, in order_by() or Meta.ordering.
PyICU publishes no wheel on PyPI, so SQLite's side uses pyuca (the UCA with the DUCET) with
CLDR's Vietnamese tailoring (core/text.py).
"""

from __future__ import annotations

from django.db.models import CharField, F, Func
from django.db.models.expressions import OrderBy
from django.utils.deconstruct import deconstructible

from hoptac.core.text import vi_compare

VI_COLLATION = "vi"
# Sort keys kept beside names (the large tables); a path ending in one of these gets its key.
KEYED = {
    "organisation__name": "organisation__name_key",
    "commune__name": "commune__name_key",
    "commune__province__name": "commune__province__name_key",
    "former_commune__name": "former_commune__name_key",
    "organisation__commune__name": "organisation__commune__name_key",
}


@deconstructible(path="hoptac.core.collation.VietnameseName")
class VietnameseName(Func):
    """A name in Vietnamese order: `name COLLATE "vi"` on PostgreSQL; on SQLite the stored key if given."""

    output_field = CharField()

    def as_sql(self, compiler, connection, function=None, template=None, arg_joiner=None, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f'{sql} COLLATE "{VI_COLLATION}"', params

    def as_sqlite(self, compiler, connection, **extra):
        if len(self.source_expressions) > 1:
            return compiler.compile(self.source_expressions[1])
        return self.as_sql(compiler, connection)


def vi(field: str, descending: bool = False, key: str | None = None) -> OrderBy:
    """`field` (a name) in Vietnamese alphabetical order; `key`: its stored sort key (SQLite)."""
    key = key or KEYED.get(field)
    expression = VietnameseName(F(field), F(key)) if key else VietnameseName(F(field))
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


def order_by_names(*fields: str, keys: dict | None = None):
    """A django-tables2 `order_<column>` method: the column sorted as Vietnamese names."""

    def order(table, queryset, is_descending):
        named = (vi(f, descending=is_descending, key=(keys or {}).get(f)) for f in fields)
        return queryset.order_by(*named, "pk"), True

    return order


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: teach a new SQLite connection the "vi" collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(VI_COLLATION, vi_compare)
