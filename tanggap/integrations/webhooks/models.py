"""Models of the webhooks adapter."""
