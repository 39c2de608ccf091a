"""Each run keeps the whole frozen set it was drawn from, so its public bundle still verifies after a
later reopen rewrites the draw's frozen set.

Revision ID: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = ("frozen_user_ids", "frozen_decisions", "frozen_weights")


def upgrade() -> None:
    op.add_column("draw_run_snapshots", sa.Column("frozen_set_hash", sa.String(64)))
    for column in COLUMNS:
        op.add_column("draw_run_snapshots", sa.Column(column, sa.LargeBinary))
        op.execute(f"ALTER TABLE draw_run_snapshots ALTER COLUMN {column} SET STORAGE EXTERNAL")


def downgrade() -> None:
    for column in (*COLUMNS, "frozen_set_hash"):
        op.drop_column("draw_run_snapshots", column)
