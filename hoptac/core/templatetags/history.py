"""`{% described_history entries as rows %}` and `{% described_items items as rows %}` (core.history)."""

from django import template

from hoptac.core.history import describe_entries, describe_items

register = template.Library()


@register.simple_tag
def described_history(entries):
    return describe_entries(entries)


@register.simple_tag
def described_items(items):
    return describe_items(items)
