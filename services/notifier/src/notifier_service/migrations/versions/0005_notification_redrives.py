"""Dead notifications redrive through the dead-letter lever (issue 14): each notification counts how often a
redrive put it back in the queue, so that its next dead letter counts one more and the maximum stops a loop.

Revision ID: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("notifications", sa.Column("redrives", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    op.drop_column("notifications", "redrives")
