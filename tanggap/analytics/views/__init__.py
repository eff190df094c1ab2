"""Views of analytics: staff dashboards and reports, public statistics."""
