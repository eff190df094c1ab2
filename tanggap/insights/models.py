"""Fitted suggestion models: one per organisation and target, replaced at each training."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.common.models import BaseModel


class SuggestionTarget(models.TextChoices):
    CATEGORY = "category", _("Category")
    UNIT = "unit", _("Unit to dispose to")


class ModelStatus(models.TextChoices):
    READY = "ready", _("Ready")
    TOO_FEW_CASES = "too_few_cases", _("Not enough handled reports yet")
    TOO_FEW_CLASSES = "too_few_classes", _("Too few choices with enough handled reports")
    NOT_BETTER = "not_better", _("No better than the most common choice")


class SuggestionModel(BaseModel):
    """The last training of an organisation's suggestions for one target, and its figures.

    *payload* is the fitted pipeline as joblib bytes (``insights.classifier.dumps``), written
    only by the training service and signed in *digest* (HMAC-SHA256 under SECRET_KEY); the
    reader refuses bytes whose signature or library version does not match, because
    unpickling runs code. It is never editable in a form or the admin. Without a model
    (*status* other than ready) there are no suggestions.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    target = models.CharField(_("suggests"), max_length=20, choices=SuggestionTarget)
    status = models.CharField(_("status"), max_length=20, choices=ModelStatus)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    trained_at = models.DateTimeField(_("trained at"))
    training_size = models.PositiveIntegerField(_("handled reports learnt from"), default=0)
    training_seconds = models.FloatField(_("training time (seconds)"), default=0)
    # The labels (ids as strings) the model may suggest.
    labels = models.JSONField(_("labels"), default=list, blank=True)
    # Held-out figures: macro-F1, accuracy, top-3 accuracy, the majority baseline, coverage.
    metrics = models.JSONField(_("held-out figures"), default=dict, blank=True)
    payload = models.BinaryField(editable=False, blank=True, default=b"")
    digest = models.CharField(max_length=64, editable=False, blank=True)
    library_version = models.CharField(_("scikit-learn version"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("suggestion model")
        verbose_name_plural = _("suggestion models")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "target"], name="unique_suggestion_model"
            )
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.target} {self.status}"
