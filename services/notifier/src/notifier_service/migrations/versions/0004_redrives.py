"""Dead-letter redrive (issue 14): dead letters keep their headers, how often they were dead-lettered, a cause
tag and the redrive that sent them back; redrive tasks with their progress.

Revision ID: 0004
"""

from platform_shared.db.migrations import create_redrive_tables, drop_redrive_tables

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_redrive_tables()


def downgrade() -> None:
    drop_redrive_tables()
