"""`lottery-ops`: the operator's one command for every runbook action across the four services."""
