"""The draw path reads one immutable row (issue 13): each close writes the whole frozen set (entry ids, user
ids, draw ids, decisions, weights) as a new row; the draw and every run refer to theirs, so neither prepare
nor execute reads the entries table, and a run no longer copies its inputs. Sets frozen before this
revision are rebuilt from their entries (weights cannot change after a close); runs drawn before it keep
their snapshots.

Revision ID: 0013
"""

import struct
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

PACKED = ("entry_ids", "user_ids", "draw_ids", "decisions", "weights")


def upgrade() -> None:
    op.create_table(
        "frozen_entry_sets",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("campaign_id", sa.String(100), sa.ForeignKey("draws.campaign_id"), nullable=False, index=True),
        sa.Column("set_hash", sa.String(64), nullable=False),
        sa.Column("algorithm", sa.String(16), nullable=False),
        *(sa.Column(column, sa.LargeBinary, nullable=column == "draw_ids") for column in PACKED),
    )
    for column in PACKED:  # packed arrays of random bytes do not compress: stored as they are
        op.execute(f"ALTER TABLE frozen_entry_sets ALTER COLUMN {column} SET STORAGE EXTERNAL")
    op.add_column("draws", sa.Column("frozen_set_id", sa.Uuid, sa.ForeignKey("frozen_entry_sets.id")))
    op.add_column("draw_runs", sa.Column("frozen_set_id", sa.Uuid, sa.ForeignKey("frozen_entry_sets.id")))
    _rebuild_frozen_sets()
    op.drop_table("draw_frozen_sets")


def _rebuild_frozen_sets() -> None:
    """Each draw's packed decisions (0007) become a whole set: user ids and weights from its entries."""
    bind = op.get_bind()
    frozen = bind.execute(sa.text("SELECT f.campaign_id, f.entry_ids, f.decisions, d.frozen_set_hash, d.algorithm "
                                  "FROM draw_frozen_sets f JOIN draws d USING (campaign_id) "
                                  "WHERE d.frozen_set_hash IS NOT NULL")).all()
    for campaign_id, entry_ids, decisions, set_hash, algorithm in frozen:
        ids = struct.unpack(f"<{len(entry_ids) // 8}q", entry_ids)
        entries = {entry_id: (user, weight) for entry_id, user, weight in bind.execute(
            sa.text("SELECT id, kakao_user_id, weight FROM entries WHERE campaign_id = :campaign_id"),
            {"campaign_id": campaign_id})}
        users = [entries[entry_id][0] for entry_id in ids]
        weights = [entries[entry_id][1] for entry_id in ids]
        set_id = uuid.uuid4()
        bind.execute(sa.text("INSERT INTO frozen_entry_sets (id, campaign_id, set_hash, algorithm, entry_ids, "
                             "user_ids, decisions, weights) VALUES (:id, :campaign_id, :set_hash, :algorithm, "
                             ":entry_ids, :user_ids, :decisions, :weights)"),
                     {"id": set_id, "campaign_id": campaign_id, "set_hash": set_hash,
                      "algorithm": algorithm or "LOTTERY2", "entry_ids": entry_ids, "decisions": decisions,
                      "user_ids": struct.pack(f"<{len(users)}Q", *users),
                      "weights": struct.pack(f"<{len(weights)}d", *weights)})
        bind.execute(sa.text("UPDATE draws SET frozen_set_id = :id WHERE campaign_id = :campaign_id"),
                     {"id": set_id, "campaign_id": campaign_id})


def downgrade() -> None:
    """Lossy for runs drawn after this revision: their inputs were the set they refer to."""
    op.create_table(
        "draw_frozen_sets",
        sa.Column("campaign_id", sa.String(100), sa.ForeignKey("draws.campaign_id"), primary_key=True),
        sa.Column("entry_ids", sa.LargeBinary, nullable=False),
        sa.Column("decisions", sa.LargeBinary, nullable=False),
    )
    op.execute("INSERT INTO draw_frozen_sets (campaign_id, entry_ids, decisions) SELECT s.campaign_id, s.entry_ids, "
               "s.decisions FROM frozen_entry_sets s JOIN draws d ON d.frozen_set_id = s.id")
    op.drop_column("draw_runs", "frozen_set_id")
    op.drop_column("draws", "frozen_set_id")
    op.drop_table("frozen_entry_sets")
