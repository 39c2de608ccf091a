"""Policy backups: one row per slot of the backup schedule that a replica took (seed §15).

Revision ID 0008: the id this service's head had when the platform's tables moved to their own branch
(`platform_shared/db/platform_migrations`), so a database migrated before keeps its place; it was 0005.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policy_backups",
        sa.Column("slot_at", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("versions", sa.Integer, nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_by", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("policy_backups")
