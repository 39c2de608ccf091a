"""The hash-chained audit log and two-step confirmations."""
