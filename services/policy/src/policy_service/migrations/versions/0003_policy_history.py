"""Policy history: each version's impact memo, the version it was proposed against, and for a rollback
the version it restored.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("policy_versions", sa.Column("impact_memo", sa.Text, server_default=sa.text("''"),
                                               nullable=False))
    op.add_column("policy_versions", sa.Column("proposed_against", sa.Integer))
    op.add_column("policy_versions", sa.Column("restored_from", sa.Integer))


def downgrade() -> None:
    for column in ("restored_from", "proposed_against", "impact_memo"):
        op.drop_column("policy_versions", column)
