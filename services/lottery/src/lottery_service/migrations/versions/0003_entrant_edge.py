"""The entrant edge (SPEC §9): a draw's intro text; what the server recorded per entrant before
the entry (Intro view, verified sponsor visit); sponsor returns already used; refused ones with a reason.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Entries an entrant makes (source `kakao`) are one per user too: only old imports may repeat.
    op.drop_index("uq_entries_campaign_user", table_name="entries")
    op.create_index("uq_entries_campaign_user", "entries", ["campaign_id", "kakao_user_id"], unique=True,
                    postgresql_where=sa.text("source <> 'legacy'"))
    op.add_column("draws", sa.Column("intro", sa.Text, server_default=sa.text("''"), nullable=False))
    op.create_table(
        "entrant_progress",
        sa.Column("campaign_id", sa.String(100), sa.ForeignKey("draws.campaign_id"), primary_key=True),
        sa.Column("kakao_user_id", sa.BigInteger, primary_key=True),
        sa.Column("intro_seen_at", sa.DateTime(timezone=True)),
        sa.Column("adgate_verified_at", sa.DateTime(timezone=True)),
        sa.Column("adgate_utm", sa.Text),
    )
    op.create_table(
        "used_sponsor_proofs",
        sa.Column("proof_id", sa.String(64), primary_key=True),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("kakao_user_id", sa.BigInteger, nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "adgate_failures",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("kakao_user_id", sa.BigInteger, nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("adgate_failures", "used_sponsor_proofs", "entrant_progress"):
        op.drop_table(table)
    op.drop_column("draws", "intro")
    op.drop_index("uq_entries_campaign_user", table_name="entries")
    op.create_index("uq_entries_campaign_user", "entries", ["campaign_id", "kakao_user_id"], unique=True,
                    postgresql_where=sa.text("source = 'api'"))
