"""Vocabularies of GeoReport v2: service types and attribute data types."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceType(models.TextChoices):
    """What a POST answers: the request id at once (realtime) or a token to look it up (batch)."""

    REALTIME = "realtime", _("Realtime: the request id is returned at once")
    BATCH = "batch", _("Batch: a token is returned, exchanged later for the id")


class Datatype(models.TextChoices):
    STRING = "string", _("Short text")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLEVALUELIST = "singlevaluelist", _("One choice from a list")
    MULTIVALUELIST = "multivaluelist", _("Several choices from a list")


LIST_DATATYPES = frozenset({Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST})
