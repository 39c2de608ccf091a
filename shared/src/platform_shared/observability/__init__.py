"""Metrics and logs every service shares (issue 14)."""
