"""The tasks part of the plan page (`TasksConfig.plan_section`)."""

from django import template

from hoptac.tasks.views import tasks_with_status

register = template.Library()


@register.simple_tag
def plan_tasks(plan, today):
    """The plan's tasks with their status and due date on `today`."""
    return tasks_with_status(plan.tasks.all(), today)
