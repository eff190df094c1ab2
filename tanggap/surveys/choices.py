"""Vocabularies of the SKM: period kinds, channels and the respondent profile (Lampiran form)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    SEMESTER = "semester", _("Semester")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class SamplingMethod(models.TextChoices):
    KREJCIE_MORGAN = "krejcie_morgan", _("Krejcie–Morgan (PermenPAN-RB 14/2017)")
    SLOVIN = "slovin", _("Slovin (5% margin)")


class ResponseChannel(models.TextChoices):
    KIOSK = "kiosk", _("Counter kiosk")
    ONLINE = "online", _("Citizen's own phone (link or QR code)")
    INVITATION = "invitation", _("Invitation after a resolved case")
    PAPER = "paper", _("Paper questionnaire")


class Gender(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class Education(models.TextChoices):
    SD = "SD", _("Primary school (SD)")
    SMP = "SMP", _("Junior high school (SMP)")
    SMA = "SMA", _("Senior high school (SMA)")
    D3 = "D3", _("Diploma (D1–D3)")
    S1 = "S1", _("Bachelor (S1/D4)")
    S2 = "S2", _("Master (S2)")
    S3 = "S3", _("Doctorate (S3)")


class Occupation(models.TextChoices):
    PNS = "PNS", _("Civil servant (PNS)")
    TNI = "TNI", _("Armed forces (TNI)")
    POLRI = "POLRI", _("Police (POLRI)")
    SWASTA = "SWASTA", _("Private employee")
    WIRAUSAHA = "WIRAUSAHA", _("Self-employed")
    LAINNYA = "LAINNYA", _("Other")


class FollowUpStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale of 1 to 4, with a label for each answer")
    TEXT = "text", _("Short free text")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    KEPT = "kept", _("Kept: counted in the IKM")
    EXCLUDED = "excluded", _("Excluded from the IKM")


# The reason a response was flagged is stored in English, as evidence; these are its display texts.
FLAG_DUPLICATE = "identical answers from the same source within 10 minutes"
FLAG_BURST = "more than 20 responses from the same source within an hour"
FLAG_REASON_LABELS = {
    FLAG_DUPLICATE: _("Identical answers from the same source within 10 minutes"),
    FLAG_BURST: _("More than 20 responses from the same source within an hour"),
}
