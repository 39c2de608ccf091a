"""A draw records the algorithm its entry set was frozen under (LOTTERY3: keys over pseudonymous draw ids), so
a draw closed under LOTTERY2 still draws, hashes and verifies under LOTTERY2 after the upgrade.

Revision ID: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("draws", sa.Column("algorithm", sa.String(16)))
    op.execute("UPDATE draws SET algorithm = 'LOTTERY2' WHERE frozen_set_hash IS NOT NULL")


def downgrade() -> None:
    op.drop_column("draws", "algorithm")
