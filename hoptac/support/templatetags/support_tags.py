from django import template

from hoptac.support.services import before_and_after

register = template.Library()


@register.simple_tag
def support_effect(organisation):
    return before_and_after(organisation)
