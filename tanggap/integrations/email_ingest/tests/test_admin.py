"""Configuring mailboxes: secrets stored encrypted and never shown, each unit its own."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UserFactory
from tanggap.integrations.email_ingest.models import InboundMail, Mailbox, MailStatus, Security
from tanggap.integrations.email_ingest.services import mail_ingest

from .conftest import eml


def admin_of(unit, username):
    """Return a staff user administering *unit*, with this app's model permissions."""
    user = UserFactory(username=username, is_staff=True)
    MembershipFactory(user=user, unit=unit, role=Role.UNIT_ADMIN)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="email_ingest"))
    return user


def test_a_mailbox_is_configured_with_encrypted_secrets(client, spkt):
    # given the SPKT's administrator
    client.force_login(admin_of(spkt, "admin_spkt"))
    form = {
        "unit": spkt.pk,
        "slug": "spkt-baru",
        "address": "lapor@spkt.contoh.go.id",
        "is_active": "on",
        "host": "imap.contoh.go.id",
        "port": 993,
        "security": Security.SSL,
        "username": "lapor",
        "password": "sandi-rahasia-imap",
        "folder": "INBOX",
        "webhook_secret": "w" * 40,
    }
    # when they add a mailbox
    response = client.post("/admin/email_ingest/mailbox/add/", form)
    # then the secrets are stored encrypted and readable by the poller only
    assert response.status_code == 302, response.content
    mailbox = Mailbox.objects.get(slug="spkt-baru")
    assert "sandi-rahasia-imap" not in mailbox.password_enc
    assert mailbox.password() == "sandi-rahasia-imap" and mailbox.webhook_secret() == "w" * 40
    # and the edit page never shows them, and leaving them empty keeps them
    page = client.get(f"/admin/email_ingest/mailbox/{mailbox.pk}/change/")
    assert b"sandi-rahasia-imap" not in page.content and b"w" * 40 not in page.content
    client.post(
        f"/admin/email_ingest/mailbox/{mailbox.pk}/change/",
        form | {"password": "", "webhook_secret": ""},
    )
    mailbox.refresh_from_db()
    assert mailbox.password() == "sandi-rahasia-imap"


def test_a_short_webhook_secret_is_refused(client, spkt):
    client.force_login(admin_of(spkt, "admin_spkt"))
    response = client.post(
        "/admin/email_ingest/mailbox/add/",
        {"unit": spkt.pk, "slug": "x", "address": "x@contoh.go.id", "port": 993,
         "security": Security.SSL, "folder": "INBOX", "webhook_secret": "pendek"},
    )  # fmt: skip
    assert response.status_code == 200 and not Mailbox.objects.exists()


def test_a_clear_text_login_is_refused_for_a_remote_host(spkt):
    mailbox = Mailbox(unit=spkt, slug="x", address="x@contoh.go.id", host="imap.contoh.go.id")
    mailbox.security = Security.NONE
    with pytest.raises(ValidationError):
        mailbox.clean()
    mailbox.host = "127.0.0.1"
    mailbox.clean()


def test_an_administrator_sees_only_their_units_mail(client, mailbox, other_mailbox, dpmptsp):
    # given a held mail in each unit's mailbox
    mail_ingest(mailbox=mailbox, raw=eml("no_sender.eml"), source="imap")
    mail_ingest(mailbox=other_mailbox, raw=eml("no_sender.eml"), source="imap")
    # when the other unit's administrator opens the log
    client.force_login(admin_of(dpmptsp, "admin_dpmptsp"))
    page = client.get("/admin/email_ingest/inboundmail/")
    # then only their own unit's mail is listed
    assert list(page.context["cl"].queryset) == [InboundMail.objects.get(mailbox=other_mailbox)]
    mailboxes = client.get("/admin/email_ingest/mailbox/")
    assert list(mailboxes.context["cl"].queryset) == [other_mailbox]


def test_held_mail_is_processed_again_from_the_admin(client, mailbox, spkt):
    # given a webhook mail held for having no sender
    mail_ingest(mailbox=mailbox, raw=eml("no_sender.eml"), source="webhook")
    held = InboundMail.objects.get()
    client.force_login(admin_of(spkt, "admin_spkt"))
    # when the administrator processes it again
    response = client.post(
        "/admin/email_ingest/inboundmail/",
        {"action": "process_again", "_selected_action": [held.pk]},
    )
    # then it is tried again (and, still without a sender, stays held)
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == MailStatus.HELD and held.raw_enc


def test_a_kept_mail_is_downloaded_only_by_who_may_open_identities(client, mailbox, spkt):
    # given a held webhook mail
    raw = eml("no_sender.eml")
    mail_ingest(mailbox=mailbox, raw=raw, source="webhook")
    held = InboundMail.objects.get()
    url = f"/admin/email_ingest/inboundmail/{held.pk}/eml/"
    # when the unit's administrator (who may not open identities) asks for it
    client.force_login(admin_of(spkt, "admin_spkt"))
    # then it is not found
    assert client.get(url).status_code == 404
    # and an administrator who is also the unit's supervisor gets the mail as it came
    supervisor = admin_of(spkt, "kepala_admin")
    MembershipFactory(user=supervisor, unit=spkt, role=Role.SUPERVISOR)
    client.force_login(supervisor)
    assert url.encode() in client.get(f"/admin/email_ingest/inboundmail/{held.pk}/change/").content
    response = client.get(url)
    assert response.status_code == 200 and response.content == raw
    assert response["Content-Disposition"].startswith("attachment")


def test_another_units_supervisor_cannot_download_a_kept_mail(client, mailbox, dpmptsp):
    mail_ingest(mailbox=mailbox, raw=eml("no_sender.eml"), source="webhook")
    held = InboundMail.objects.get()
    user = admin_of(dpmptsp, "admin_lain")
    MembershipFactory(user=user, unit=dpmptsp, role=Role.SUPERVISOR)
    client.force_login(user)
    assert client.get(f"/admin/email_ingest/inboundmail/{held.pk}/eml/").status_code == 404
