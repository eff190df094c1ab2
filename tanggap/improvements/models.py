"""Models of improvements."""
