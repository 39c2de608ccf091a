"""Notices to a segment of users (seed §1, §14): refused entries kept with their reason, refused sponsor returns
found by time, and the notices sent.

Revision ID: 0016
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entry_refusals",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("kakao_user_id", sa.BigInteger, nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_entry_refusals_at", "entry_refusals", ["at"])
    # A `refused` segment reads both tables by window (adapters/notice_store.py).
    op.create_index("ix_adgate_failures_at", "adgate_failures", ["at"])
    op.create_table(
        "notices",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("notice_key", sa.String(64), nullable=False),
        sa.Column("template", sa.String(40), nullable=False),
        sa.Column("params", JSONB, nullable=False),
        sa.Column("segment", JSONB, nullable=False),
        sa.Column("channels", JSONB, nullable=False),
        sa.Column("incident_id", sa.String(100)),
        sa.Column("locale", sa.String(8)),
        sa.Column("recipients", sa.Integer, nullable=False),
        sa.Column("sent_by", sa.String(100), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_notices_notice_key", "notices", ["notice_key"])


def downgrade() -> None:
    op.drop_table("notices")
    op.drop_index("ix_adgate_failures_at", table_name="adgate_failures")
    op.drop_table("entry_refusals")
