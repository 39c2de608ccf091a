"""A run knows what its messages and a correction need: the campaign's display name and, once rolled back,
when (runbook §14.2: the correction notice names the time); an offer
knows whether its message reached the person (`told_at`: delivered, not given up on). Offers from before keep
their delivery as the best knowledge there is.

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("waitlist_runs", sa.Column("voided_at", sa.DateTime(timezone=True)))
    op.add_column("waitlist_runs", sa.Column("campaign_name", sa.String(200)))
    op.add_column("offers", sa.Column("told_at", sa.DateTime(timezone=True)))
    op.execute("UPDATE offers SET told_at = delivered_at")


def downgrade() -> None:
    op.drop_column("offers", "told_at")
    for column in ("campaign_name", "voided_at"):
        op.drop_column("waitlist_runs", column)
