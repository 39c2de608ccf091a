"""Offers by person: an entrant reads their own offers (`GET /me/offers`) across every run.

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_offers_user_id", "offers", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_offers_user_id", table_name="offers")
