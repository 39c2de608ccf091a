"""The draw path reads one immutable row: each close writes the whole frozen set (entry ids, user
ids, draw ids, decisions, weights) as a new row; the draw and every run refer to theirs, so neither prepare
nor execute reads the entries table, and a run no longer copies its inputs. Sets frozen before this
revision are rebuilt from their entries (`_rebuild_frozen_sets`); runs drawn before it keep their snapshots.

Revision ID: 0013
"""

import uuid

import numpy as np
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0009"
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
    """Each draw's packed decisions (0007) become a whole set: user ids and weights from its entries, in user
    id order like every set written from now on. For a draw frozen and not reopened since, the entries hold the
    frozen weights (no change is accepted after a close); for one being corrected at upgrade, a recalculation
    may have moved them, which the set's hash then no longer covers: only the reopen's diff reads such a set,
    and only its decisions."""
    bind = op.get_bind()
    frozen = bind.execute(sa.text("SELECT f.campaign_id, f.entry_ids, f.decisions, d.frozen_set_hash, d.algorithm "
                                  "FROM draw_frozen_sets f JOIN draws d USING (campaign_id) "
                                  "WHERE d.frozen_set_hash IS NOT NULL")).all()
    for campaign_id, entry_ids, decisions, set_hash, algorithm in frozen:
        entries = {entry_id: (user, weight) for entry_id, user, weight in bind.execute(
            sa.text("SELECT id, kakao_user_id, weight FROM entries WHERE campaign_id = :campaign_id"),
            {"campaign_id": campaign_id})}
        ids = np.frombuffer(entry_ids, dtype="<i8")
        users = np.array([entries[int(entry_id)][0] for entry_id in ids], dtype="<u8")
        weights = np.array([entries[int(entry_id)][1] for entry_id in ids], dtype="<f8")
        order = np.lexsort((ids, users))
        set_id = uuid.uuid4()
        bind.execute(sa.text("INSERT INTO frozen_entry_sets (id, campaign_id, set_hash, algorithm, entry_ids, "
                             "user_ids, decisions, weights) VALUES (:id, :campaign_id, :set_hash, :algorithm, "
                             ":entry_ids, :user_ids, :decisions, :weights)"),
                     {"id": set_id, "campaign_id": campaign_id, "set_hash": set_hash,
                      "algorithm": algorithm or "LOTTERY2", "entry_ids": ids[order].tobytes(),
                      "user_ids": users[order].tobytes(),
                      "decisions": np.frombuffer(decisions, dtype=np.int8)[order].tobytes(),
                      "weights": weights[order].tobytes()})
        bind.execute(sa.text("UPDATE draws SET frozen_set_id = :id WHERE campaign_id = :campaign_id"),
                     {"id": set_id, "campaign_id": campaign_id})


DRAWN_CODES = (0, 1)
"""eligible and eligible_exempt in 0007's CODES: the entries a run draws on."""


def downgrade() -> None:
    """Back to 0009's shape: each draw's decisions packed in entry id order, and each run drawn since this
    revision given the copy of its inputs that 0009 reads (its eligible set and its whole frozen set)."""
    op.create_table(
        "draw_frozen_sets",
        sa.Column("campaign_id", sa.String(100), sa.ForeignKey("draws.campaign_id"), primary_key=True),
        sa.Column("entry_ids", sa.LargeBinary, nullable=False),
        sa.Column("decisions", sa.LargeBinary, nullable=False),
    )
    bind = op.get_bind()
    for campaign_id, entry_ids, decisions in bind.execute(sa.text(
            "SELECT s.campaign_id, s.entry_ids, s.decisions FROM frozen_entry_sets s "
            "JOIN draws d ON d.frozen_set_id = s.id")).all():
        ids = np.frombuffer(entry_ids, dtype="<i8")
        order = np.argsort(ids, kind="stable")
        bind.execute(sa.text("INSERT INTO draw_frozen_sets (campaign_id, entry_ids, decisions) "
                             "VALUES (:campaign_id, :entry_ids, :decisions)"),
                     {"campaign_id": campaign_id, "entry_ids": ids[order].tobytes(),
                      "decisions": np.frombuffer(decisions, dtype=np.int8)[order].tobytes()})
    for run_id, set_hash, user_ids, decisions, weights in bind.execute(sa.text(
            "SELECT r.id, s.set_hash, s.user_ids, s.decisions, s.weights FROM draw_runs r "
            "JOIN frozen_entry_sets s ON s.id = r.frozen_set_id")).all():
        codes = np.frombuffer(decisions, dtype=np.int8)
        drawn = np.isin(codes, DRAWN_CODES)
        users, weight_values = np.frombuffer(user_ids, dtype="<u8"), np.frombuffer(weights, dtype="<f8")
        bind.execute(sa.text("INSERT INTO draw_run_snapshots (run_id, user_ids, weights, frozen_set_hash, "
                             "frozen_user_ids, frozen_decisions, frozen_weights) VALUES (:run_id, :user_ids, "
                             ":weights, :set_hash, :frozen_user_ids, :frozen_decisions, :frozen_weights)"),
                     {"run_id": run_id, "user_ids": users[drawn].tobytes(), "weights": weight_values[drawn].tobytes(),
                      "set_hash": set_hash, "frozen_user_ids": user_ids, "frozen_decisions": decisions,
                      "frozen_weights": weights})
    op.drop_column("draw_runs", "frozen_set_id")
    op.drop_column("draws", "frozen_set_id")
    op.drop_table("frozen_entry_sets")
