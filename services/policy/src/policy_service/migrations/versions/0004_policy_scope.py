"""Policy history: the scope of each version's change — null for the whole platform, or the campaigns a
partial change (seed §8.1 "전면/부분") was made for.

Revision ID: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("policy_versions", sa.Column("scope", JSONB))


def downgrade() -> None:
    op.drop_column("policy_versions", "scope")
