"""Searching the audit log by actor, action, target and time, a page at a time (runbook §0: every action leaves
a trace, and ops must find it): newest first, keyed by the record's number, so each filter has an index ending
in `seq` and a page of a million-record log reads only its own rows (web/audit_api.py, docs/benchmarks.md).
The target's own index gives way to (target, seq), which answers the same lookups.

Revision ID: platform_0006
"""

from alembic import op

revision = "platform_0006"
down_revision = "platform_0005"
branch_labels = None
depends_on = None

BY_FILTER = {"ix_audit_log_actor_seq": ["actor", "seq"], "ix_audit_log_action_seq": ["action", "seq"],
             "ix_audit_log_target_seq": ["target", "seq"], "ix_audit_log_at": ["at"]}


def upgrade() -> None:
    for name, columns in BY_FILTER.items():
        op.create_index(name, "audit_log", columns)
    op.drop_index("ix_audit_log_target", table_name="audit_log")


def downgrade() -> None:
    op.create_index("ix_audit_log_target", "audit_log", ["target"])
    for name in BY_FILTER:
        op.drop_index(name, table_name="audit_log")
