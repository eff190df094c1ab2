"""Models of analytics."""
