"""Models of the open311 adapter."""
