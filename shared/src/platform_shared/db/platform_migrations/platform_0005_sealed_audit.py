"""The audit log an insider cannot forge or trim (runbook §0): every record numbered without gaps (`seq`),
and sealed (`mac`: HMAC-SHA256 of its hash under a key only the service process holds, never a database
role). Records written before this revision keep no seal; `audit_sealed_from` says where sealing begins,
and only the owner role may change it, so a record inserted later without a seal cannot pass as old.

Revision ID: platform_0005
"""

import sqlalchemy as sa
from alembic import op

revision = "platform_0005"
down_revision = "platform_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("seq", sa.BigInteger))
    op.add_column("audit_log", sa.Column("mac", sa.String(64)))
    # Numbering the existing records is the one update the append-only log ever takes, by its owner.
    op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_or_delete")
    op.execute("""UPDATE audit_log SET seq = numbered.seq
                  FROM (SELECT id, row_number() OVER (ORDER BY id) AS seq FROM audit_log) AS numbered
                  WHERE audit_log.id = numbered.id""")
    op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_or_delete")
    op.alter_column("audit_log", "seq", nullable=False)
    op.create_index("ix_audit_log_seq", "audit_log", ["seq"], unique=True)
    op.create_table("audit_sealed_from", sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False))
    op.execute("INSERT INTO audit_sealed_from (seq) SELECT coalesce(max(seq), 0) + 1 FROM audit_log")


def downgrade() -> None:
    op.drop_table("audit_sealed_from")
    op.drop_index("ix_audit_log_seq", "audit_log")
    op.drop_column("audit_log", "mac")
    op.drop_column("audit_log", "seq")
