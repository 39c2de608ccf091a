"""Eligibility frozen at close: each entry's decision (a reason code) and the hash of the frozen
set, published with the seed commitment. Draws closed before this revision have neither and are screened
as before.

Revision ID: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("entries", sa.Column("frozen_decision", sa.String(20)))
    op.add_column("draws", sa.Column("frozen_set_hash", sa.String(64)))


def downgrade() -> None:
    op.drop_column("draws", "frozen_set_hash")
    op.drop_column("entries", "frozen_decision")
