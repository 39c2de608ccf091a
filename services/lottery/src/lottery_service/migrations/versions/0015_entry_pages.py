"""A draw's entries a page at a time, by user id then entry id (GET /draws/{id}/entries): the (campaign, user)
index gains the entry id, so a page past the millionth entry is found in the index alone and only its own rows
are read (docs/benchmarks.md). Every lookup of the old index is a prefix of the new one.

Revision ID: 0015
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_entries_campaign_user_id", "entries", ["campaign_id", "kakao_user_id", "id"])
    op.drop_index("ix_entries_campaign_user", table_name="entries")


def downgrade() -> None:
    op.create_index("ix_entries_campaign_user", "entries", ["campaign_id", "kakao_user_id"])
    op.drop_index("ix_entries_campaign_user_id", table_name="entries")
