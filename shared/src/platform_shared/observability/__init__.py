"""Metrics and logs every service shares."""
