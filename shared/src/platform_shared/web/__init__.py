"""What every admin API shares: admin identity, request models, error answers, and the audit,
dead-letter, health and metrics routes."""
