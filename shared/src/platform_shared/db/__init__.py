"""The async engine and session factory, COPY, and Alembic plumbing."""
