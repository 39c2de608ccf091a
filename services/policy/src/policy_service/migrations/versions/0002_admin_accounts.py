"""Admin accounts, their backup codes, login sessions and 2FA resets.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "admin_accounts",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("totp_secret", sa.String(64), nullable=False),
        sa.Column("totp_last_step", sa.BigInteger),
        sa.Column("failed_logins", sa.Integer, server_default=sa.text("0"), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("tokens_valid_after", sa.DateTime(timezone=True)),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "admin_backup_codes",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("account", sa.String(100), sa.ForeignKey("admin_accounts.name", ondelete="CASCADE",
                                                          name="fk_admin_backup_codes_account_admin_accounts"),
                  nullable=False),
        sa.Column("code_hash", sa.Text, nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_admin_backup_codes_account", "admin_backup_codes", ["account"])
    op.create_table(
        "admin_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("account", sa.String(100), sa.ForeignKey("admin_accounts.name", ondelete="CASCADE",
                                                          name="fk_admin_sessions_account_admin_accounts"),
                  nullable=False),
        sa.Column("refresh_hash", sa.String(64), nullable=False),
        sa.Column("amr", sa.String(40), nullable=False),
        sa.Column("auth_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("refresh_hash", name="uq_admin_sessions_refresh_hash"),
    )
    op.create_index("ix_admin_sessions_account", "admin_sessions", ["account"])
    op.create_table(
        "admin_2fa_resets",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("account", sa.String(100), sa.ForeignKey("admin_accounts.name", ondelete="CASCADE",
                                                          name="fk_admin_2fa_resets_account_admin_accounts"),
                  nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.String(100)),
        sa.Column("approved_at", sa.DateTime(timezone=True)),
        sa.Column("enrolled_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_admin_2fa_resets_account", "admin_2fa_resets", ["account"])


def downgrade() -> None:
    for table in ("admin_2fa_resets", "admin_sessions", "admin_backup_codes", "admin_accounts"):
        op.drop_table(table)
