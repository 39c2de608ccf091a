"""Reopens for eligibility corrections: the burned seed, the diff, the commitment to the new seed;
each draw's seed salt, drawn when a reopened draw closes again; and the `correcting` status.

Revision ID: 0006
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


STATUSES = "'open', 'closed', 'drawing_ready', 'drawing_done'"


def upgrade() -> None:
    # Raw SQL: the constraint was created without the naming convention, under this exact name.
    op.execute("ALTER TABLE draws DROP CONSTRAINT known_status")
    op.execute(f"ALTER TABLE draws ADD CONSTRAINT known_status CHECK (status IN ({STATUSES}, 'correcting'))")
    op.add_column("draws", sa.Column("seed_salt", sa.String(64)))
    op.create_table(
        "draw_reopenings",
        sa.Column("campaign_id", sa.String(100), sa.ForeignKey("draws.campaign_id"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("burned_seed_hex", sa.String(64), nullable=False),
        sa.Column("burned_commitment", sa.String(64), nullable=False),
        sa.Column("reopened_by", sa.String(100), nullable=False),
        sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changes", JSONB),
        sa.Column("new_commitment", sa.String(64)),
    )


def downgrade() -> None:
    op.drop_table("draw_reopenings")
    op.drop_column("draws", "seed_salt")
    op.execute("ALTER TABLE draws DROP CONSTRAINT known_status")
    op.execute(f"ALTER TABLE draws ADD CONSTRAINT known_status CHECK (status IN ({STATUSES}))")
