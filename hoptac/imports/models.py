"""Import batches: what a committed file changed, so the batch can be reviewed and undone."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One committed file. Every change it made is audited with this batch's id."""

    KINDS = [
        ("organisations", _("Organisations")),
        ("tht", _("Cooperative groups")),
        ("figures", _("Annual figures")),
    ]

    kind = models.CharField(max_length=14, choices=KINDS)
    filename = models.CharField(max_length=255)
    context_unit = models.ForeignKey(
        "geo.AdministrativeUnit", null=True, blank=True, on_delete=models.SET_NULL
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    request_id = models.CharField(max_length=36)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({timezone.localtime(self.created_at):%d/%m/%Y %H:%M})"


class BatchItem(models.Model):
    """An object the batch created or changed, with its state before."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="items")
    # Items are read by batch only: no index of their own on the type (every import wrote one per row).
    # A generic reference like AuditEntry's: the type is not checked by the database either
    # (the ORM's PROTECT refuses to delete a type that has items).
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, db_index=False, db_constraint=False
    )
    object_id = models.CharField(max_length=64)
    action = models.CharField(max_length=10)  # create | update
    before = models.JSONField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.action} {self.content_type.model} {self.object_id}"


class SavedMapping(models.Model):
    """A user's correction of which field a column header means, applied to their next files."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_mappings"
    )
    kind = models.CharField(max_length=14)
    header = models.CharField(max_length=200, help_text=_("Folded header text."))
    field = models.CharField(max_length=40, blank=True, help_text=_("Empty: ignore this column."))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "header"], name="saved_mapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.header} → {self.field or '—'}"
