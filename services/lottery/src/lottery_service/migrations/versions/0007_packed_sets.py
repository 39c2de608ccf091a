"""The draw path's fast storage (issue 13): a run's eligible set and a draw's frozen decisions as packed arrays,
one row each, instead of a row (and an index entry) per entrant; the per-entry frozen decision goes.

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "draw_run_snapshots",
        sa.Column("run_id", sa.Uuid, sa.ForeignKey("draw_runs.id"), primary_key=True),
        sa.Column("user_ids", sa.LargeBinary, nullable=False),
        sa.Column("weights", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "draw_frozen_sets",
        sa.Column("campaign_id", sa.String(100), sa.ForeignKey("draws.campaign_id"), primary_key=True),
        sa.Column("entry_ids", sa.LargeBinary, nullable=False),
        sa.Column("decisions", sa.LargeBinary, nullable=False),
    )
    # Packed arrays of random bytes do not compress: store them as they are.
    for table, columns in (("draw_run_snapshots", ("user_ids", "weights")),
                           ("draw_frozen_sets", ("entry_ids", "decisions"))):
        for column in columns:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE EXTERNAL")
    op.drop_column("entries", "frozen_decision")


def downgrade() -> None:
    op.add_column("entries", sa.Column("frozen_decision", sa.String(20)))
    op.drop_table("draw_frozen_sets")
    op.drop_table("draw_run_snapshots")
