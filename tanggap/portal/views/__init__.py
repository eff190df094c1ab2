"""Views of the portal: staff publishing and the public pages."""
