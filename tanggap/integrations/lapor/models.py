"""Imports of report files: the uploaded file, its column mapping and each row's result."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.common.models import BaseModel

from .fields import ImportFormat


def import_path(instance, filename):
    # A random stored name: the uploaded file's name never reaches the file system.
    return f"imports/{uuid.uuid4().hex}"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded: map the columns")
    CHECKING = "checking", _("Checking (dry run)")
    CHECKED = "checked", _("Checked: waiting for confirmation")
    REFUSED = "refused", _("File refused")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")


class RowStatus(models.TextChoices):
    VALID = "valid", _("Will be imported")
    INVALID = "invalid", _("Has errors: not imported")
    REPEATED = "repeated", _("Repeats an earlier row")
    EXISTING = "existing", _("Already imported")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed")


class Import(BaseModel):
    """One uploaded file of reports for one unit, kept with its mapping for audit."""

    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    fmt = models.CharField(_("format"), max_length=10, choices=ImportFormat)
    file = models.FileField(_("file"), upload_to=import_path)
    file_name = models.CharField(_("file name"), max_length=200)
    file_type = models.CharField(_("file type"), max_length=10)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64, db_index=True)
    headers = models.JSONField(_("columns"), default=list)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    default_kind = models.CharField(_("kind when none is given"), max_length=30, blank=True)
    default_channel = models.CharField(_("channel when none is given"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus, default=ImportStatus.UPLOADED
    )
    # A problem with the whole file (unreadable, a missing column), as a code and parameters.
    problem = models.JSONField(_("problem with the file"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    valid_count = models.PositiveIntegerField(default=0)
    invalid_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    imported_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    # How many rows carry each kind of remark (a code of rows.MESSAGES), for the summary.
    notice_counts = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING)

    @property
    def done_rows(self) -> int:
        return self.imported_count + self.failed_count


class ImportRow(models.Model):
    """One row of an import: its checked values, problems and, once imported, its report."""

    batch = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))
    status = models.CharField(_("result"), max_length=10, choices=RowStatus)
    external_source = models.CharField(max_length=20, blank=True)
    external_ref = models.CharField(max_length=200, blank=True)
    # The report's values until it is imported; cleared then, as the report holds them.
    values = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    notices = models.JSONField(default=list, blank=True)
    report = models.ForeignKey(
        "intake.Report", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        ordering = ["batch", "number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="import_row_unique"),
        ]
        indexes = [models.Index(fields=["batch", "status", "number"], name="import_row_status")]

    def __str__(self):
        return f"{self.batch_id}:{self.number}"
