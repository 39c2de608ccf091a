"""The draw path's fast storage: a run's eligible set and a draw's frozen decisions as packed arrays,
one row each, instead of a row (and an index entry) per entrant; the per-entry frozen decision goes.

Revision ID: 0007
"""

import struct

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "draw_run_snapshots",
        sa.Column("run_id", sa.Uuid, sa.ForeignKey("draw_runs.id"), primary_key=True),
        sa.Column("user_ids", sa.LargeBinary, nullable=False),
        sa.Column("weights", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "draw_frozen_sets",
        sa.Column("campaign_id", sa.String(100), sa.ForeignKey("draws.campaign_id"), primary_key=True),
        sa.Column("entry_ids", sa.LargeBinary, nullable=False),
        sa.Column("decisions", sa.LargeBinary, nullable=False),
    )
    # Packed arrays of random bytes do not compress: store them as they are.
    for table, columns in (("draw_run_snapshots", ("user_ids", "weights")),
                           ("draw_frozen_sets", ("entry_ids", "decisions"))):
        for column in columns:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE EXTERNAL")
    _pack_frozen_decisions()
    op.drop_column("entries", "frozen_decision")


CODES = ("eligible", "eligible_exempt", "duplicate", "blacklist", "suspicious", "precondition")
"""domain/eligibility.py's codes as they were at this revision (a migration never imports live code)."""


def _pack_frozen_decisions() -> None:
    """Draws frozen under 0005/0006 keep their decisions: each one's column becomes its packed row."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT campaign_id, id, frozen_decision FROM entries "
                                "WHERE frozen_decision IS NOT NULL ORDER BY campaign_id, id")).all()
    by_campaign: dict[str, tuple[list[int], list[int]]] = {}
    for campaign_id, entry_id, decision in rows:
        ids, codes = by_campaign.setdefault(campaign_id, ([], []))
        ids.append(entry_id)
        codes.append(CODES.index(decision))
    for campaign_id, (ids, codes) in by_campaign.items():
        bind.execute(sa.text("INSERT INTO draw_frozen_sets (campaign_id, entry_ids, decisions) "
                             "VALUES (:campaign_id, :entry_ids, :decisions)"),
                     {"campaign_id": campaign_id, "entry_ids": struct.pack(f"<{len(ids)}q", *ids),
                      "decisions": struct.pack(f"<{len(codes)}b", *codes)})


def downgrade() -> None:
    op.add_column("entries", sa.Column("frozen_decision", sa.String(20)))
    op.drop_table("draw_frozen_sets")
    op.drop_table("draw_run_snapshots")
