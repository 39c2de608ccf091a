"""Offers and waitlist entries; outbox, inbox and policy cache.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

from platform_shared.migrations import create_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_messaging_tables()
    op.create_table(
        "offers",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("run_id", sa.Uuid, nullable=False),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("user_id", sa.String(100), nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("respond_by", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        # SPEC §4: never two offers for the same person in one draw run.
        sa.UniqueConstraint("run_id", "user_id", name="uq_offers_run_user"),
    )
    op.create_table(
        "waitlist_entries",
        sa.Column("run_id", sa.Uuid, primary_key=True),
        sa.Column("rank", sa.Integer, primary_key=True),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("user_id", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
    )


def downgrade() -> None:
    for table in ("waitlist_entries", "offers", "policy_snapshot", "inbox_messages", "outbox_messages"):
        op.drop_table(table)
