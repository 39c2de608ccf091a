"""Event settings reviewed against the policy's bounds (seed §7.3): an event's own weight cap
and its bonus cooldown.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("draws", sa.Column("weight_cap", sa.Double))
    op.add_column("draws", sa.Column("cooldown_hours", sa.Double, server_default=sa.text("0"), nullable=False))


def downgrade() -> None:
    op.drop_column("draws", "cooldown_hours")
    op.drop_column("draws", "weight_cap")
