"""The break-glass admin: Django's admin pages, off unless HOPTAC_BREAK_GLASS_ADMIN=1.

Those pages write models directly, past the services that check access and audit each write,
so they are not part of the product. In an emergency an operator may mount them for superusers
only; every change made there (Django's own LogEntry) is then copied to hoptac's audit trail
with the user, the object and Django's description of the change.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import ADDITION, DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from hoptac.core.models import Action, AuditEntry, Source

admin.site.site_header = "hoptac — quản trị khẩn cấp"


def _superusers_only(request) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


admin.site.has_permission = _superusers_only  # type: ignore[method-assign]  # Django's documented hook


@receiver(post_save, sender=LogEntry, dispatch_uid="hoptac-admin-audit")
def copy_to_audit(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    if not created or not settings.BREAK_GLASS_ADMIN:
        return
    action = {ADDITION: Action.CREATE, DELETION: Action.DELETE}.get(instance.action_flag, Action.UPDATE)
    AuditEntry.objects.create(
        user=instance.user,
        user_name=instance.user.get_username(),
        source=Source.WEB,
        request_id="admin",
        action=action,
        content_type=instance.content_type,  # type: ignore[misc]  # the admin logs only changes of objects
        object_id=instance.object_id or "",
        object_repr=instance.object_repr[:200],
        message=f"admin: {instance.get_change_message()}",
    )
