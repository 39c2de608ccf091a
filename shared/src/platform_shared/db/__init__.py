"""The async engine and session factory, COPY, outage detection, and the platform's own migrations
(`platform_migrations/`: the shared tables' history; service/migrations.py applies it)."""
