"""Atom feed of the latest published cases (masked texts only)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .selectors import publication_list

FEED_SIZE = 50


class PublishedCasesFeed(Feed):
    """The newest published cases, as the portal shows them."""

    feed_type = Atom1Feed
    title = _("Tanggap: published cases")
    subtitle = _("Reports and what the unit did about them, with personal data masked.")
    link = reverse_lazy("portal:list")

    def items(self):
        return publication_list()[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.case.reference}: {item.title}"

    def item_description(self, item):
        return item.text

    def item_link(self, item):
        return reverse("portal:detail", args=[item.case.reference])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
