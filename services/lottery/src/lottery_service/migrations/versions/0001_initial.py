"""Draws, entries, runs, results; outbox, inbox and policy cache.

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
        "draws",
        sa.Column("campaign_id", sa.String(100), primary_key=True),
        sa.Column("seats", sa.Integer, nullable=False),
        sa.Column("waitlist_size", sa.Integer, nullable=False),
        sa.Column("draw_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("commitment", sa.String(64)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("seats >= 1", name="seats_positive"),
        sa.CheckConstraint("waitlist_size >= 0", name="waitlist_not_negative"),
    )
    op.create_table(
        "entries",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("campaign_id", sa.String(100), sa.ForeignKey("draws.campaign_id"), nullable=False),
        sa.Column("kakao_user_id", sa.BigInteger, nullable=False),
        sa.Column("weight", sa.Double, nullable=False),
        sa.Column("policy_version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        # SPEC §3: one entry per (campaignId, kakaoUserId), enforced by the database, not by luck.
        sa.UniqueConstraint("campaign_id", "kakao_user_id", name="uq_entries_campaign_user"),
    )
    op.create_table(
        "draw_runs",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("campaign_id", sa.String(100), sa.ForeignKey("draws.campaign_id"), nullable=False),
        sa.Column("seed_hex", sa.String(64), nullable=False),
        sa.Column("entry_set_hash", sa.String(64), nullable=False),
        sa.Column("policy_version", sa.Integer, nullable=False),
        sa.Column("weight_cap", sa.Double, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.create_table(
        "draw_results",
        sa.Column("run_id", sa.Uuid, sa.ForeignKey("draw_runs.id"), primary_key=True),
        sa.Column("rank", sa.Integer, primary_key=True),
        sa.Column("kakao_user_id", sa.BigInteger, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("weight", sa.Double, nullable=False),
        sa.Column("key", sa.Double, nullable=False),
        sa.Column("note", sa.Text),
    )


def downgrade() -> None:
    for table in ("draw_results", "draw_runs", "entries", "draws",
                  "policy_snapshot", "inbox_messages", "outbox_messages"):
        op.drop_table(table)
