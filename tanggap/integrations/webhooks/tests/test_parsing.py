"""Reading platform JSON: every message type we use, and unknown shapes skipped, not fatal."""

from datetime import UTC, datetime

import pytest

from tanggap.integrations.webhooks.parsing import PayloadError, sms_parse, whatsapp_parse


def value(**fields):
    return {"entry": [{"changes": [{"field": "messages", "value": fields}]}]}


def test_whatsapp_message_types_become_text():
    messages = [
        {"from": "62811", "id": "a", "timestamp": "1763800000",
         "type": "text", "text": {"body": "Halo"}},
        {"from": "62811", "id": "b", "type": "location",
         "location": {"latitude": -6.2, "longitude": 106.8, "name": "Pasar Baru"}},
        {"from": "62811", "id": "c", "type": "button", "button": {"text": "Ya"}},
        {"from": "62811", "id": "d", "type": "interactive",
         "interactive": {"type": "button_reply", "button_reply": {"id": "1", "title": "Setuju"}}},
        {"from": "62811", "id": "e", "type": "document",
         "document": {"id": "m1", "mime_type": "application/pdf", "filename": "ktp.pdf"}},
    ]  # fmt: skip
    parsed, statuses = whatsapp_parse(value(metadata={"phone_number_id": "106"}, messages=messages))

    assert [m.text for m in parsed] == ["Halo", "Pasar Baru -6.2, 106.8", "Ya", "Setuju", ""]
    assert parsed[0].sent_at == datetime(2025, 11, 22, 8, 26, 40, tzinfo=UTC)
    assert parsed[4].media == ({"type": "document", "id": "m1", "mime_type": "application/pdf"},)
    assert {m.number_id for m in parsed} == {"106"} and statuses == []


@pytest.mark.parametrize(
    "body",
    [
        {"entry": [None, 3, {"changes": "x"}, {"changes": [None, {"value": []}]}]},
        value(messages=[None, {"id": ""}, {"id": "x", "type": "text", "text": "not a dict"}]),
        value(contacts=[{"profile": None}], messages="nope", statuses=[{"id": "x"}]),
        value(statuses=[{"id": "s", "status": "failed", "errors": "none"}]),
    ],
)
def test_odd_whatsapp_shapes_are_skipped(body):
    messages, _statuses = whatsapp_parse(body)
    assert messages == []


@pytest.mark.parametrize("body", [[], "x", None, {"object": "page"}, {"entry": {}}])
def test_a_body_that_is_no_whatsapp_webhook_is_an_error(body):
    with pytest.raises(PayloadError):
        whatsapp_parse(body)


def test_a_whatsapp_failure_status_carries_its_reason():
    _, (status,) = whatsapp_parse(
        value(
            statuses=[
                {
                    "id": "wamid.1",
                    "status": "failed",
                    "timestamp": "1763800000",
                    "errors": [{"code": 131026, "title": "Message undeliverable"}],
                }
            ]
        )
    )
    assert (status.status, status.error) == ("failed", "131026 Message undeliverable")


def test_sms_numeric_ids_are_kept_as_text():
    (message,), _ = sms_parse({"id": 5521, "from": "0813", "to": "1708", "text": "Halo"})
    assert message.external_id == "5521" and message.number_id == "1708"


@pytest.mark.parametrize(
    "body",
    [
        {"id": "1", "from": "0813", "to": "1708", "text": "   "},
        {"id": "1", "from": 813, "to": "1708", "text": "x"},
        {"type": "status", "id": "1"},
        {"messages": "x"},
        {"messages": [{"id": str(n), "from": "1", "to": "1", "text": "x"} for n in range(101)]},
    ],
)
def test_bad_sms_bodies_are_refused(body):
    with pytest.raises(PayloadError):
        sms_parse(body)
