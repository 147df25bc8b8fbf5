"""Page furniture shared by every template: icons from the vendored Bootstrap Icons sprite."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def icon(name: str, label: str = "", extra: str = ""):
    """`{% icon "bell" %}`: an SVG icon (scripts/icon_sprite.py lists those in the sprite).

    Decorative unless `label` is given (then it is announced as an image with that name)."""
    href = f"{static('vendor/bootstrap-icons/icons.svg')}#{name}"
    if label:
        return format_html(
            '<svg class="bi {}" role="img" aria-label="{}"><use href="{}"></use></svg>', extra, label, href
        )
    return format_html(
        '<svg class="bi {}" aria-hidden="true" focusable="false"><use href="{}"></use></svg>', extra, href
    )
