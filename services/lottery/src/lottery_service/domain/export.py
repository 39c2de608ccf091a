"""The run export: every eligible entrant with rank, outcome, weight and key, as CSV lines.

Winners and the waitlist come first in rank order (as stored), then everyone not selected, by user id.
With the revealed seed this is all `tools/verify_draw.py` needs to recompute the draw.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from lottery_service.domain.draw_engine import Algorithm, Entrants, exponential_keys

HEADER = "rank,kakao_user_id,outcome,weight,key\n"


@dataclass(frozen=True)
class RankedRow:
    rank: int
    user_id: int
    outcome: str
    key: float


def csv_lines(ranked: Sequence[RankedRow], entrants: Entrants, seed: bytes, algorithm: Algorithm,
              chunk: int = 10_000) -> Iterator[str]:
    """Yield the CSV in chunks of lines, so a 10M-entrant export streams instead of piling up."""
    yield HEADER
    weights = dict(zip(entrants.user_ids.tolist(), entrants.weights.tolist(), strict=True))
    buffer = [f"{row.rank},{row.user_id},{row.outcome},{weights[row.user_id]!r},{row.key!r}\n" for row in ranked]
    yield "".join(buffer)
    selected = np.array([row.user_id for row in ranked], dtype=np.uint64)
    rest = ~np.isin(entrants.user_ids, selected)
    others = Entrants(entrants.user_ids[rest], entrants.weights[rest])
    order = np.argsort(others.user_ids, kind="stable")
    keys = exponential_keys(seed, others, algorithm)[order]
    ids, ws = others.user_ids[order].tolist(), others.weights[order].tolist()
    for start in range(0, len(ids), chunk):
        yield "".join(f",{u},not_selected,{w!r},{k!r}\n"
                      for u, w, k in zip(ids[start:start + chunk], ws[start:start + chunk],
                                         keys[start:start + chunk].tolist(), strict=True))
