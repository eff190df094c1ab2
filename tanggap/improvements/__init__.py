"""Improvement actions linked to reports and SKM findings, and incidents."""
