"""Transactional outbox and relay, inbox, the reliable consumer with dead letters, their tables, and the
policy snapshot every service caches from policy_changed."""
