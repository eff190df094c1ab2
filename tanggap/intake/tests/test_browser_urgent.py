"""In a real browser: a citizen reports a fallen tree on a house and sees whom to call at once."""

import pytest
from playwright.sync_api import expect

from tanggap.cases.choices import Priority
from tanggap.intake.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def test_citizen_reporting_danger_sees_the_emergency_numbers(page, live_server, spkt, axe_clean):
    # given a citizen on the report form, on a phone
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/lapor/")
    expect(page.locator("aside.emergency")).to_contain_text("112")

    # when they report a tree that fell on a house
    page.locator("#id_unit").select_option(str(spkt.pk))
    page.locator("#id_title").fill("Pohon tumbang")
    page.locator("#id_description").fill(
        "Pohon besar tumbang menimpa rumah warga di gang 3, ada orang di dalam. Tolong!"
    )
    page.locator("input[name=identity][value=anonymous]").check()
    with page.expect_navigation():
        page.locator("#report-form button[type=submit]").click()

    # then the receipt opens with the emergency numbers, before anything else, and is accessible
    notice = page.get_by_test_id("emergency-notice")
    expect(notice).to_be_visible()
    expect(notice.locator('a[href="tel:110"]')).to_be_visible()
    expect(notice.locator('a[href="tel:112"]')).to_be_visible()
    notice_top = notice.bounding_box()["y"]
    assert notice_top < page.get_by_test_id("tracking-code").bounding_box()["y"]
    axe_clean(page, "receipt of an urgent report")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # and the case waits at the front as urgent
    assert Report.objects.get().case.priority == Priority.URGENT
