"""The public commitment log and what a LOTTERY4 draw commits to (docs/draw-algorithm.md §8): one append-only
hash chain across all campaigns; the commitment record a draw is bound to; a run's beacon round and result
hash; a reopen that burns nothing.

Revision ID: 0017
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commitment_log",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("campaign_id", sa.String(100), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("entry", sa.Text, nullable=False),
        sa.UniqueConstraint("campaign_id", "number", name="uq_commitment_log_campaign_number"),
        sa.UniqueConstraint("hash", name="uq_commitment_log_hash"),
    )
    # Published entries never change: not even the service's own role may rewrite or remove one (the owner
    # alone could switch these triggers off), as the audit log's (platform_0001).
    op.execute("""
        CREATE FUNCTION commitment_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'commitment_log is append-only'; END $$;
    """)
    op.execute("""CREATE TRIGGER commitment_log_no_update_or_delete BEFORE UPDATE OR DELETE ON commitment_log
                  FOR EACH ROW EXECUTE FUNCTION commitment_log_is_append_only()""")
    op.execute("""CREATE TRIGGER commitment_log_no_truncate BEFORE TRUNCATE ON commitment_log
                  FOR EACH STATEMENT EXECUTE FUNCTION commitment_log_is_append_only()""")
    op.add_column("draws", sa.Column("committed", JSONB))
    op.add_column("draws", sa.Column("beacon_waiting_since", sa.DateTime(timezone=True)))
    op.add_column("draws", sa.Column("beacon_problem", sa.Text))
    op.add_column("draw_runs", sa.Column("beacon_round", sa.BigInteger))
    op.add_column("draw_runs", sa.Column("beacon_randomness", sa.String(64)))
    op.add_column("draw_runs", sa.Column("beacon_signature", sa.Text))
    op.add_column("draw_runs", sa.Column("result_hash", sa.String(64)))
    op.add_column("draw_runs", sa.Column("committed", JSONB))
    op.alter_column("draw_reopenings", "burned_seed_hex", nullable=True)
    op.add_column("draw_reopenings", sa.Column("changed", sa.Boolean))


def downgrade() -> None:
    op.drop_column("draw_reopenings", "changed")
    op.execute("UPDATE draw_reopenings SET burned_seed_hex = '' WHERE burned_seed_hex IS NULL")
    op.alter_column("draw_reopenings", "burned_seed_hex", nullable=False)
    for column in ("committed", "result_hash", "beacon_signature", "beacon_randomness", "beacon_round"):
        op.drop_column("draw_runs", column)
    for column in ("beacon_problem", "beacon_waiting_since", "committed"):
        op.drop_column("draws", column)
    op.drop_table("commitment_log")
    op.execute("DROP FUNCTION commitment_log_is_append_only()")
