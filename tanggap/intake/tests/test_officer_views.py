"""Officer screens: log-in lock-out, scoped inbox, identity opening, cross-unit 404s."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UnitFactory, UserFactory
from tanggap.cases.choices import Channel
from tanggap.intake.models import IdentityAccess, Report
from tanggap.intake.tests.factories import clean_jpeg, submit_report

pytestmark = pytest.mark.django_db


def urls_of(report):
    """Every officer URL that touches *report*."""
    case = report.case
    attachment = report.attachments.first()
    return [
        ("get", reverse("officer:case_detail", args=[case.pk])),
        ("post", reverse("officer:identity_reveal", args=[case.pk, report.pk])),
        ("get", reverse("officer:attachment", args=[case.pk, attachment.pk])),
    ]


def test_an_officer_of_another_unit_gets_404_on_every_url_of_a_report(client, spkt, other_officer):
    report = submit_report(spkt, files=[clean_jpeg()]).report
    client.force_login(other_officer)

    for method, url in urls_of(report):
        response = getattr(client, method)(url, {"reason": "Ingin tahu siapa pelapornya"})
        assert response.status_code == 404, url
    assert not IdentityAccess.objects.exists()
    assert report.tracking_code not in client.get(reverse("officer:inbox")).content.decode()


def test_the_owning_officer_reaches_every_url(client, spkt, officer):
    report = submit_report(spkt, files=[clean_jpeg()]).report
    client.force_login(officer)

    for method, url in urls_of(report):
        response = getattr(client, method)(url, {"reason": "Klarifikasi kronologi kejadian"})
        assert response.status_code == 200, url


def test_membership_of_a_parent_unit_covers_its_sub_units(client, spkt):
    child = UnitFactory(organisation=spkt.organisation, parent=spkt, name="Subunit")
    report = submit_report(child).report
    head = UserFactory(username="kapolres")
    MembershipFactory(user=head, unit=spkt, role=Role.SUPERVISOR)
    client.force_login(head)

    assert client.get(reverse("officer:case_detail", args=[report.case.pk])).status_code == 200


def test_a_user_without_membership_gets_404_on_the_inbox(client, db):
    client.force_login(UserFactory(username="tamu"))

    assert client.get(reverse("officer:inbox")).status_code == 404


def test_inbox_needs_login(client, db):
    response = client.get(reverse("officer:inbox"))

    assert response.status_code == 302 and reverse("officer:login") in response["Location"]


def test_login_locks_out_after_repeated_failures(client, officer):
    url = reverse("officer:login")
    for _ in range(5):
        client.post(url, {"username": "petugas", "password": "salah"})

    response = client.post(url, {"username": "petugas", "password": "rahasia-123"})

    assert response.status_code == 429
    assert "dikunci" in response.content.decode().lower() or "locked" in response.content.decode()


def test_login_with_the_right_password_opens_the_inbox(client, officer):
    response = client.post(
        reverse("officer:login"), {"username": "petugas", "password": "rahasia-123"}, follow=True
    )

    assert response.status_code == 200
    assert response.resolver_match.view_name == "officer:inbox"


def test_inbox_filters_search_and_pages(client, spkt, officer):
    for n in range(30):
        submit_report(
            spkt, title=f"Laporan nomor {n}", channel=Channel.WEB if n % 2 else Channel.PHONE
        )
    target = submit_report(
        spkt, title="Lampu jalan mati", description="Lampu PJU depan pos mati total."
    )
    client.force_login(officer)
    inbox = reverse("officer:inbox")

    first = client.get(inbox)
    second = client.get(inbox, {"after": first.context["page"].next_cursor})
    phone = client.get(inbox, {"channel": "phone"})
    found = client.get(inbox, {"q": "PJU"})

    seen = [c.pk for c in first.context["page"].items + second.context["page"].items]
    assert len(first.context["page"].items) == 25 and len(seen) == len(set(seen)) == 31
    assert {c.channel for c in phone.context["page"].items} == {Channel.PHONE}
    assert [c.pk for c in found.context["page"].items] == [target.report.case.pk]


def test_inbox_query_count_does_not_grow_with_rows(
    client, spkt, officer, django_assert_max_num_queries
):
    for n in range(10):
        submit_report(spkt, title=f"Laporan {n}")
    client.force_login(officer)

    with django_assert_max_num_queries(12):
        client.get(reverse("officer:inbox"))


def test_anonymous_report_shows_no_identity_and_no_reveal_action(client, spkt, officer):
    report = submit_report(spkt, is_anonymous=True, name="Nama Rahasia").report
    client.force_login(officer)

    page = client.get(reverse("officer:case_detail", args=[report.case.pk])).content.decode()

    assert "Nama Rahasia" not in page
    assert reverse("officer:identity_reveal", args=[report.case.pk, report.pk]) not in page


def test_identity_is_shown_after_a_reason_and_the_opening_is_listed(client, spkt, officer):
    report = submit_report(spkt).report
    client.force_login(officer)
    url = reverse("officer:identity_reveal", args=[report.case.pk, report.pk])

    refused = client.post(url, {"reason": "x"})
    shown = client.post(url, {"reason": "Menghubungi pelapor untuk klarifikasi"})

    assert refused.status_code == 400 and "Budi Santoso" not in refused.content.decode()
    assert "Budi Santoso" in shown.content.decode()
    assert "Menghubungi pelapor untuk klarifikasi" in shown.content.decode()
    assert IdentityAccess.objects.count() == 1


def test_officer_enters_a_walk_in_report_with_channel_and_receiver(client, spkt, officer):
    client.force_login(officer)

    response = client.post(
        reverse("officer:report_enter"),
        {
            "channel": "walk_in",
            "kind": "complaint",
            "unit": spkt.pk,
            "title": "Kehilangan dompet",
            "description": "Pelapor datang ke SPKT melaporkan dompet hilang di pasar.",
            "identity": "identified",
            "name": "Ahmad",
        },
    )

    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.channel, report.received_by) == (Channel.WALK_IN, officer)


def test_auditor_reads_cases_but_cannot_enter_reports(client, spkt, auditor):
    report = submit_report(spkt).report
    client.force_login(auditor)

    assert client.get(reverse("officer:case_detail", args=[report.case.pk])).status_code == 200
    assert client.get(reverse("officer:report_enter")).status_code == 404


def test_inbox_marks_overdue_cases_in_words_and_in_the_units_time_zone(client, officer, spkt):
    spkt.time_zone = "Asia/Jayapura"
    spkt.save()
    with time_machine.travel(timezone.now() - timedelta(days=10), tick=False):
        late = submit_report(spkt, title="Laporan lama").report
    client.force_login(officer)

    html = client.get(reverse("officer:inbox")).content.decode()

    assert "terlambat" in html
    assert "WIT" in html
    assert late.tracking_code in html
