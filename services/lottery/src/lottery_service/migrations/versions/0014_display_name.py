"""A campaign's display name (what entrants read in their messages instead of its internal id). Draws created
before it have none; their id stands in.

Revision ID: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("draws", sa.Column("display_name", sa.String(200)))


def downgrade() -> None:
    op.drop_column("draws", "display_name")
