"""The demo command publishes masked, non-confidential demo cases, once."""

import pytest
from django.core.management import CommandError, call_command

from tanggap.insights import pii
from tanggap.intake import demo
from tanggap.portal import selectors

pytestmark = pytest.mark.django_db


def test_demo_portal_needs_debug_and_the_demo(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_portal")
    settings.DEBUG = True
    with pytest.raises(CommandError):
        call_command("demo_portal")


def test_demo_portal_publishes_masked_cases_once(settings):
    # given the intake demo
    settings.DEBUG = True
    demo.demo_load()
    # when the portal demo runs twice
    call_command("demo_portal")
    first = selectors.published().count()
    call_command("demo_portal")
    # then a few cases are published once, none confidential, none with a detectable identifier
    assert 0 < first == selectors.published().count() <= 6
    for publication in selectors.published():
        assert not publication.case.is_confidential
        assert pii.find(publication.text) == [] and pii.find(publication.title) == []
