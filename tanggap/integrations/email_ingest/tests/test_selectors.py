"""Reads of inbound e-mail: which mailboxes to poll, which mailbox a webhook names."""

from tanggap.integrations.email_ingest.selectors import mailboxes_to_poll, webhook_mailbox

from .factories import MailboxFactory


def test_only_active_imap_mailboxes_are_polled_in_one_query(
    spkt, mailbox, django_assert_num_queries
):
    # given an inactive mailbox and a webhook-only one beside the active IMAP mailbox
    MailboxFactory(unit=spkt, slug="lama", is_active=False)
    MailboxFactory(unit=spkt, slug="webhook", host="", username="")
    # when the poll list is read
    with django_assert_num_queries(1):
        polled = mailboxes_to_poll()
    # then only the active IMAP one is in it
    assert polled == [(mailbox.pk, mailbox.address)]


def test_a_webhook_names_an_active_mailbox_with_a_secret(spkt, mailbox):
    MailboxFactory(unit=spkt, slug="tanpa-rahasia", webhook_secret_enc="")
    assert webhook_mailbox("spkt") == mailbox
    assert webhook_mailbox(str(mailbox.pk)) == mailbox
    assert webhook_mailbox("tanpa-rahasia") is None
    assert webhook_mailbox("9" * 40) is None
