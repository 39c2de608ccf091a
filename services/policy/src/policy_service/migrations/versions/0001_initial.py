"""Policy versions; outbox, inbox and policy cache.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from platform_shared.db.migrations import (
    create_audit_and_confirmation_tables,
    create_messaging_tables,
    drop_audit_and_confirmation_tables,
)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables()
    create_audit_and_confirmation_tables()
    op.create_table(
        "policy_versions",
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("document", JSONB, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )


def downgrade() -> None:
    for table in ("policy_versions", "dead_letters", "policy_snapshot", "inbox_messages", "outbox_messages"):
        op.drop_table(table)
    drop_audit_and_confirmation_tables()
