"""Draws, entries, blacklist, runs with their inputs and results.
The tables every service shares are the platform's own branch (platform_shared/db/platform_migrations).

Revision ID: 0001
"""

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _created_at() -> sa.Column[datetime]:
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "draws",
        sa.Column("campaign_id", sa.String(100), primary_key=True),
        sa.Column("seats", sa.Integer, nullable=False),
        sa.Column("waitlist_size", sa.Integer, nullable=False),
        sa.Column("draw_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requires_intro", sa.Boolean, nullable=False),
        sa.Column("requires_adgate", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("commitment", sa.String(64)),
        _created_at(),
        sa.CheckConstraint("seats >= 1", name="seats_positive"),
        sa.CheckConstraint("waitlist_size >= 0", name="waitlist_not_negative"),
        sa.CheckConstraint("status IN ('open', 'closed', 'drawing_ready', 'drawing_done')", name="known_status"),
    )
    op.create_table(
        "entries",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("campaign_id", sa.String(100), sa.ForeignKey("draws.campaign_id"), nullable=False),
        sa.Column("kakao_user_id", sa.BigInteger, nullable=False),
        sa.Column("raw_weight", sa.Double, nullable=False),
        sa.Column("weight", sa.Double, nullable=False),
        sa.Column("policy_version", sa.Integer, nullable=False),
        sa.Column("intro_seen", sa.Boolean, nullable=False),
        sa.Column("adgate_verified", sa.Boolean, nullable=False),
        sa.Column("adgate_exempt_reason", sa.Text),
        sa.Column("suspicious", sa.Boolean, nullable=False),
        sa.Column("invalid_reason", sa.Text),
        sa.Column("source", sa.String(20), nullable=False),
        _created_at(),
        sa.CheckConstraint("weight > 0 AND raw_weight > 0", name="weights_positive"),
    )
    # SPEC §3: one entry per (campaignId, kakaoUserId) from the API, enforced by the database. Legacy
    # imports predate the rule and may hold duplicates until the correction job invalidates them.
    op.create_index("uq_entries_campaign_user", "entries", ["campaign_id", "kakao_user_id"], unique=True,
                    postgresql_where=sa.text("source = 'api'"))
    op.create_index("ix_entries_campaign_user", "entries", ["campaign_id", "kakao_user_id"])
    op.create_table(
        "blacklist",
        sa.Column("kakao_user_id", sa.BigInteger, primary_key=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("added_by", sa.String(100), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.create_table(
        "draw_runs",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("campaign_id", sa.String(100), sa.ForeignKey("draws.campaign_id"), nullable=False),
        sa.Column("previous_run_id", sa.Uuid, sa.ForeignKey("draw_runs.id")),
        sa.Column("seats", sa.Integer, nullable=False),
        sa.Column("waitlist_size", sa.Integer, nullable=False),
        sa.Column("draw_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seed_hex", sa.String(64), nullable=False),
        sa.Column("commitment", sa.String(64), nullable=False),
        sa.Column("entry_set_hash", sa.String(64), nullable=False),
        sa.Column("eligible_count", sa.Integer, nullable=False),
        sa.Column("policy_version", sa.Integer, nullable=False),
        sa.Column("weight_cap", sa.Double, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("executed_by", sa.String(100), nullable=False),
        _created_at(),
        sa.Column("rolled_back_at", sa.DateTime(timezone=True)),
        sa.Column("rollback_reason", sa.Text),
    )
    # At most one live (not rolled back) run per draw, whatever the application does.
    op.create_index("uq_draw_runs_live", "draw_runs", ["campaign_id"], unique=True,
                    postgresql_where=sa.text("status = 'completed'"))
    op.create_table(
        "draw_run_inputs",
        sa.Column("run_id", sa.Uuid, sa.ForeignKey("draw_runs.id"), primary_key=True),
        sa.Column("kakao_user_id", sa.BigInteger, primary_key=True),
        sa.Column("weight", sa.Double, nullable=False),
    )
    op.create_table(
        "draw_results",
        sa.Column("run_id", sa.Uuid, sa.ForeignKey("draw_runs.id"), primary_key=True),
        sa.Column("rank", sa.Integer, primary_key=True),
        sa.Column("kakao_user_id", sa.BigInteger, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("weight", sa.Double, nullable=False),
        sa.Column("key", sa.Double, nullable=False),
    )


def downgrade() -> None:
    for table in ("draw_results", "draw_run_inputs", "draw_runs", "blacklist", "entries", "draws"):
        op.drop_table(table)
