"""The reporting part of the plan page (`ReportingConfig.plan_section`)."""

from django import template

from hoptac.reporting.services import periods

register = template.Library()


@register.simple_tag
def plan_due_days(plan, year):
    """The plan's reporting duties, each with the periods it opens in `year` and their due dates."""
    return [(obligation, periods(obligation, year)) for obligation in plan.obligations.all()]
