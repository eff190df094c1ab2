"""SMS and WhatsApp gateways and outbound case-event webhooks."""
