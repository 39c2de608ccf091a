"""Consumer pause and resume, fleet-wide (issue 14): ops' desired state per consumer group, and what each
replica reports applying.

Revision ID: 0006
"""

from platform_shared.db.migrations import create_consumer_control_tables, drop_consumer_control_tables

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_consumer_control_tables()


def downgrade() -> None:
    drop_consumer_control_tables()
