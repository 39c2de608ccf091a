"""A dead letter too big for Kafka's message limit keeps its record's beginning, size and SHA-256 (a 900 kB
malformed record once blocked its partition: its letter was refused by the broker, again and again).

Revision ID: platform_0004
"""

import sqlalchemy as sa
from alembic import op

revision = "platform_0004"
down_revision = "platform_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dead_letters", sa.Column("payload_truncated", sa.Boolean, nullable=False,
                                            server_default=sa.text("false")))
    op.add_column("dead_letters", sa.Column("payload_bytes", sa.BigInteger))
    op.add_column("dead_letters", sa.Column("payload_sha256", sa.String(64)))


def downgrade() -> None:
    for column in ("payload_sha256", "payload_bytes", "payload_truncated"):
        op.drop_column("dead_letters", column)
