"""Kakao login outages (seed §9.3): every edge replica's login windows, and the outages derived from them.

Revision ID: 0010
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kakao_login_windows",
        sa.Column("service", sa.String(50), primary_key=True),
        sa.Column("instance", sa.String(100), primary_key=True),
        sa.Column("window_start", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("failures", JSONB, nullable=False),
        sa.Column("issuer_down", sa.Boolean, nullable=False),
        sa.Column("issuer_up", sa.Boolean, nullable=True),
        sa.Column("recovered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_kakao_login_windows_window_start", "kakao_login_windows", ["window_start"])
    op.create_table(
        "kakao_outages",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("down_replicas", JSONB, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("kakao_outages")
    op.drop_index("ix_kakao_login_windows_window_start", "kakao_login_windows")
    op.drop_table("kakao_login_windows")
