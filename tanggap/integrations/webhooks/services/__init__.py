"""Writes of the webhooks adapter: inbound messages, sent messages, outbound webhooks."""
