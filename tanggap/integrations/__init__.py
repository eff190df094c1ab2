"""Channel adapters: Open311, e-mail, SMS/WhatsApp, outbound webhooks, imports, SP4N-LAPOR!."""
