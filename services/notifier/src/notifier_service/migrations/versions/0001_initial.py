"""Notifications; outbox, inbox and policy cache.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from platform_shared.migrations import create_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables()
    op.create_table(
        "notifications",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        # SPEC §5: the dedupe key names one logical notification; it is stored (and sent) once.
        sa.Column("dedupe_key", sa.String(300), nullable=False, unique=True),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("user_id", sa.String(100), nullable=False),
        sa.Column("template", sa.String(50), nullable=False),
        sa.Column("params", JSONB, nullable=False),
        sa.Column("campaign_id", sa.String(100)),
        sa.Column("run_id", sa.Uuid),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.create_index("ix_notifications_run_id", "notifications", ["run_id"])


def downgrade() -> None:
    for table in ("notifications", "policy_snapshot", "inbox_messages", "outbox_messages"):
        op.drop_table(table)
