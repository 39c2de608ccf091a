"""The injectable clock and quiet-hours arithmetic. Pure."""
