"""Consumer pause and resume, fleet-wide (runbook §6.3: stop the queue during an incident): ops' desired
state per consumer group, and what each replica reports applying.

Revision ID: platform_0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "platform_0002"
down_revision = "platform_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consumer_controls",
        sa.Column("group_id", sa.String(200), primary_key=True),
        sa.Column("paused", sa.Boolean, nullable=False),
        sa.Column("until", sa.DateTime(timezone=True)),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "consumer_replicas",
        sa.Column("replica", sa.String(200), primary_key=True),
        sa.Column("group_id", sa.String(200), primary_key=True),
        sa.Column("assigned", JSONB, nullable=False),
        sa.Column("paused_partitions", JSONB, nullable=False),
        sa.Column("lag", sa.BigInteger),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("consumer_replicas")
    op.drop_table("consumer_controls")
