"""Waitlist runs, offers and waitlist entries.
The tables every service shares are the platform's own branch (platform_shared/db/platform_migrations).

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "waitlist_runs",
        sa.Column("run_id", sa.Uuid, primary_key=True),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("seats", sa.Integer, nullable=False),
        sa.Column("waitlist_size", sa.Integer, nullable=False),
        sa.Column("part_count", sa.Integer, nullable=False),
        sa.Column("parts_received", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("last_promotion_at", sa.DateTime(timezone=True)),
        sa.Column("void_reason", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.create_table(
        "offers",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("run_id", sa.Uuid, nullable=False),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("user_id", sa.String(100), nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("respond_by", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        # SPEC §4: never two offers for the same person (or the same rank) in one draw run.
        sa.UniqueConstraint("run_id", "user_id", name="uq_offers_run_user"),
        sa.UniqueConstraint("run_id", "rank", name="uq_offers_run_rank"),
    )
    op.create_index("ix_offers_due", "offers", ["respond_by"], postgresql_where=sa.text("status = 'offered'"))
    op.create_table(
        "waitlist_entries",
        sa.Column("run_id", sa.Uuid, primary_key=True),
        sa.Column("rank", sa.Integer, primary_key=True),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("user_id", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
    )


def downgrade() -> None:
    for table in ("waitlist_entries", "offers", "waitlist_runs"):
        op.drop_table(table)
