"""An offer remembers when its notification was delivered: its answer window runs only from
then, so a notifier paused or backlogged past the deadline can no longer expire an offer nobody was told
of. Offers made before this revision keep the old rule (their window ran from the offer): they are marked
delivered when offered.

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
    op.add_column("offers", sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE offers SET delivered_at = offered_at")


def downgrade() -> None:
    op.drop_column("offers", "delivered_at")
