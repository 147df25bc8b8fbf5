"""The audit trail every write leaves behind."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    COMMAND = "command", _("Command")
    SYSTEM = "system", _("System")


class Action(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    STATUS = "status", _("Status changed")


class AuditEntry(models.Model):
    """One write to one object: who, when, from where, and the object before and after.

    Written by the service functions, never by signals, so commands and imports are logged
    exactly like web edits. The user's name is copied so the entry outlives the account.
    """

    timestamp = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    user_name = models.CharField(max_length=150, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    request_id = models.CharField(
        max_length=36, blank=True, help_text="Request or import batch that made it."
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    # No index of its own: audit_object_idx starts with it (one index fewer on every write).
    # The object is a generic reference (type + id) that the application keeps, as it keeps
    # object_id: no database constraint on the type either. PROTECT still refuses, in the ORM,
    # to delete a content type that has entries; PostgreSQL's per-row check of a constant value
    # cost ~0.7 s of an import's 100,000 entries.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, db_index=False, db_constraint=False
    )
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=255)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-timestamp", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-timestamp"], name="audit_object_idx")]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{timezone.localtime(self.timestamp):%d/%m/%Y %H:%M} {self.user_name} {self.action} {self.object_repr}"

    def changes(self) -> list[tuple[str, object, object]]:
        """Fields whose value differs between before and after, for the history view."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class Job(models.Model):
    """One piece of long work a user started (or the daily schedule did), run by a worker.

    The queue itself is django-tasks' database backend (no broker); this row is what the user
    sees: what runs, how far it is (live progress is in the shared cache, the last value is kept
    here), whether it failed and why in Vietnamese, and the result file until it expires.
    The work of a job runs in one transaction or is idempotent, so a failure, a cancel or a killed
    worker leaves nothing half-written; an interrupted job is run again once (`core.jobs`).
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    task_path = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    # A scheduled job's identity (e.g. the reminders of one day), so two workers start it once.
    key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    result_file = models.CharField(max_length=300, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_expires_at = models.DateTimeField(null=True, blank=True)
    cancel_requested = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state"], name="core_job_state"),
                   models.Index(fields=["owner", "-created_at"], name="core_job_owner_recent")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED, self.State.CANCELLED)
