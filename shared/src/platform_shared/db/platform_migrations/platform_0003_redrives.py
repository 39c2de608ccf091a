"""Dead-letter redrive: dead letters keep their headers, how often they were dead-lettered, ops' cause tag
and the redrive that sent them back; `redrives` holds redrive tasks with their progress.

Revision ID: platform_0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "platform_0003"
down_revision = "platform_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dead_letters", sa.Column("original_headers", JSONB, nullable=False,
                                            server_default=sa.text("'{}'::jsonb")))
    op.add_column("dead_letters", sa.Column("dead_letter_count", sa.Integer, nullable=False, server_default="1"))
    op.add_column("dead_letters", sa.Column("cause", sa.Text))
    op.add_column("dead_letters", sa.Column("redrive_id", sa.Uuid))
    # The defaults only fill the letters that existed before; a new letter always states both.
    for column in ("original_headers", "dead_letter_count"):
        op.alter_column("dead_letters", column, server_default=None)
    op.create_index("ix_dead_letters_failed_at", "dead_letters", ["failed_at"])
    op.create_table(
        "redrives",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("letter_ids", JSONB, nullable=False),
        sa.Column("rate_per_second", sa.Float, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("redriven", sa.Integer, nullable=False),
        sa.Column("skipped", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("lease_owner", sa.String(200)),
        sa.Column("lease_until", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("redrives")
    op.drop_index("ix_dead_letters_failed_at", table_name="dead_letters")
    for column in ("redrive_id", "cause", "dead_letter_count", "original_headers"):
        op.drop_column("dead_letters", column)
