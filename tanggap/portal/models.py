"""Published cases on the transparency portal and the citizens who follow them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tanggap.common.models import BaseModel


class Publication(BaseModel):
    """A case shown to the public: its masked texts as an officer approved them.

    Unit, category and status are read live from the case, so a change shows at once; the
    public selectors also re-check confidentiality on every read.
    """

    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="publication",
        verbose_name=_("case"),
    )
    title = models.CharField(_("public title"), max_length=200)
    text = models.TextField(_("public text"), max_length=10000)
    reply = models.TextField(_("public reply"), max_length=10000, blank=True)
    is_active = models.BooleanField(_("shown on the portal"), default=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # Rounded to about 100 m: the public sees the neighbourhood, never the doorstep.
    latitude = models.DecimalField(
        _("latitude"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    # The last case event followers were told about.
    notified_event_id = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        indexes = [
            models.Index(fields=["is_active", "-published_at", "-id"], name="publication_recent")
        ]

    def __str__(self):
        return f"{self.case_id} {self.title}"


class Follower(BaseModel):
    """A citizen's e-mail subscription to a published case (double opt-in)."""

    publication = models.ForeignKey(
        Publication,
        on_delete=models.CASCADE,
        related_name="followers",
        verbose_name=_("publication"),
    )
    email_enc = models.TextField()
    # Keyed digest of the normalised address: one row per address and case, found unopened.
    email_digest = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, default="id")

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "email_digest"], name="unique_follower_address"
            )
        ]

    def __str__(self):
        return f"follower {self.pk} of {self.publication_id}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None
