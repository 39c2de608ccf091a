"""Dead notifications redrive through the dead-letter lever: each notification counts how often a
redrive put it back in the queue, so that its next dead letter counts one more and the maximum stops a loop.

Revision ID 0006: the id this service's head had when the platform's tables moved to their own branch
(`platform_shared/db/platform_migrations`), so a database migrated before keeps its place; it was 0005.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("notifications", sa.Column("redrives", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    op.drop_column("notifications", "redrives")
