"""Each run records the key derivation it was drawn with: LOTTERY1 for the runs before this
revision (its U could round to 1.0), LOTTERY2 for new ones; each replays and verifies under its own.

Revision ID: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("draw_runs", sa.Column("algorithm", sa.String(16), server_default="LOTTERY1", nullable=False))
    op.alter_column("draw_runs", "algorithm", server_default=None)


def downgrade() -> None:
    op.drop_column("draw_runs", "algorithm")
