"""Rollups kept by tasks, dashboards for unit heads, and periodic evaluation reports."""
