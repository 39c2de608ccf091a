"""A dead letter too big for Kafka's message limit keeps its record's beginning, size and SHA-256 (issue 15).

Revision ID: 0006
"""

from platform_shared.db.migrations import add_dead_letter_truncation, drop_dead_letter_truncation

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_dead_letter_truncation()


def downgrade() -> None:
    drop_dead_letter_truncation()
