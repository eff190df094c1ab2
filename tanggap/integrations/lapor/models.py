"""Models of the lapor adapter."""
