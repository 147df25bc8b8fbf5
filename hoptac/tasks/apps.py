from django.utils.translation import gettext_lazy as _

from hoptac.core import appconfig


class TasksConfig(appconfig.DomainConfig):
    name = "hoptac.tasks"
    label = "tasks"
    verbose_name = _("Tasks")
    plan_part_loader = "hoptac.tasks.loader.load"
    plan_section = "tasks/_plan_section.html"

    def ready(self):
        # Accounts of a body that ceased (district bodies, 30/06/2025) are told to move on signing in.
        from django.contrib.auth.signals import user_logged_in

        from hoptac.accounts.structure import warn_on_login

        user_logged_in.connect(warn_on_login, dispatch_uid="hoptac-ended-agency-notice")
