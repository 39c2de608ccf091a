"""The tables every service has from its first day: the outbox and inbox (exactly-once publishing and
consuming, docs/messaging.md), dead letters, the cached policy snapshot, the append-only audit log and the
two-step confirmations (runbook §0, §2).

Revision ID: platform_0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "platform_0001"
down_revision = None
branch_labels = ("platform",)
depends_on = None


def upgrade() -> None:
    _create_messaging_tables()
    _create_audit_and_confirmation_tables()


def downgrade() -> None:
    for table in ("pending_confirmations", "audit_log", "policy_snapshot", "dead_letters", "inbox_messages",
                  "outbox_messages"):
        op.drop_table(table)
    op.execute("DROP FUNCTION audit_log_is_append_only()")


def _create_messaging_tables() -> None:
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("event_id", sa.Uuid, nullable=False, unique=True),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True)),
    )
    op.create_index(
        "ix_outbox_messages_unpublished",
        "outbox_messages",
        ["id"],
        postgresql_where=sa.text("published_at IS NULL"),
    )
    op.create_table(
        "inbox_messages",
        sa.Column("consumer", sa.String(200), primary_key=True),
        sa.Column("event_id", sa.Uuid, primary_key=True),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.create_table(
        "dead_letters",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("consumer_group", sa.String(200), nullable=False),
        sa.Column("original_topic", sa.String(200), nullable=False),
        sa.Column("original_partition", sa.Integer, nullable=False),
        sa.Column("original_offset", sa.BigInteger, nullable=False),
        sa.Column("original_key", sa.Text),
        sa.Column("exception_type", sa.String(200), nullable=False),
        sa.Column("exception_message", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replayed_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "policy_snapshot",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("document", JSONB, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )


def _create_audit_and_confirmation_tables() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_log_target", "audit_log", ["target"])
    # Append-only even for a role that may write it: the runtime role gets INSERT and SELECT only, and these
    # triggers stop anyone short of the owner switching them off (runbook §0: every action leaves a trace).
    op.execute("""
        CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
    """)
    op.execute("""CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
                  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only()""")
    op.execute("""CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
                  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only()""")
    op.create_table(
        "pending_confirmations",
        sa.Column("token", sa.String(64), primary_key=True),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("target", sa.String(200), nullable=False),
        sa.Column("params", JSONB, nullable=False),
        sa.Column("summary", JSONB, nullable=False),
        sa.Column("requested_by", sa.String(100), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_by", sa.String(100)),
        sa.Column("confirmed_at", sa.DateTime(timezone=True)),
        sa.Column("outcome", JSONB),
    )
