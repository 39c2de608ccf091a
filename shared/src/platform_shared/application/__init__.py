"""Use cases' building blocks: a unit of work (one transaction with its audit records and outbox events) and
the two-step confirmation every risky runbook action goes through."""
