from django.utils.translation import gettext_lazy as _

from hoptac.core import appconfig


class TasksConfig(appconfig.DomainConfig):
    name = "hoptac.tasks"
    label = "tasks"
    verbose_name = _("Tasks")
    plan_part_loader = "hoptac.tasks.loader.load"
    plan_section = "tasks/_plan_section.html"
