"""Vocabularies of replies: their states and the citizen's ratings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReplyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_APPROVAL = "pending_approval", _("Waiting for approval")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned for changes")


# A reply in these states may still be edited and submitted by its author.
EDITABLE_STATUSES = (ReplyStatus.DRAFT, ReplyStatus.RETURNED)


class Rating(models.IntegerChoices):
    VERY_POOR = 1, _("1 – very poor")
    POOR = 2, _("2 – poor")
    FAIR = 3, _("3 – fair")
    GOOD = 4, _("4 – good")
    VERY_GOOD = 5, _("5 – very good")
