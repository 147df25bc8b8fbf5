"""`{% unit_picker "unit" value levels="province,district" within=scope %}` for hand-written forms."""

from django import template
from django.utils.safestring import mark_safe

from hoptac.geo.widgets import render_picker

register = template.Library()


@register.simple_tag
def unit_picker(name, value=None, levels="", within=None, generation="", label="", placeholder="", id=""):
    attrs = {"aria-label": label} if label else {}
    if placeholder:
        attrs["placeholder"] = placeholder
    if id:
        attrs["id"] = id
    html = render_picker(
        name,
        value,
        levels=[level for level in levels.split(",") if level],
        within=within or None,
        generation=generation or None,
        attrs=attrs,
    )
    return mark_safe(html)  # noqa: S308 - rendered by the widget's template, which escapes
