"""The run export: every eligible entrant with rank, outcome, weight and key, as CSV lines.

Winners and the waitlist come first in rank order (as stored), then everyone not selected, by user id.
With the revealed seed this is all `tools/verify_draw.py` needs to recompute the draw. Under a pseudonymous
algorithm (LOTTERY3) each line also carries the entrant's draw id, which keys are computed over.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from lottery_service.domain.draw_engine import Algorithm, Entrants, exponential_keys

HEADER = "rank,kakao_user_id,outcome,weight,key\n"
PSEUDONYMOUS_HEADER = "rank,kakao_user_id,draw_id,outcome,weight,key\n"


@dataclass(frozen=True)
class RankedRow:
    rank: int
    user_id: int
    outcome: str
    key: float


def csv_lines(ranked: Sequence[RankedRow], entrants: Entrants, seed: bytes, algorithm: Algorithm,
              chunk: int = 10_000) -> Iterator[str]:
    """Yield the CSV in chunks of lines, so a 10M-entrant export streams instead of piling up."""
    pseudonymous = algorithm.pseudonymous
    yield PSEUDONYMOUS_HEADER if pseudonymous else HEADER
    users = entrants.user_ids.tolist()
    weights = dict(zip(users, entrants.weights.tolist(), strict=True))
    draw_ids = dict(zip(users, entrants.draw_ids.tolist(), strict=True))

    def user(user_id: int) -> str:
        return f"{user_id},{draw_ids[user_id]}" if pseudonymous else str(user_id)

    yield "".join(f"{row.rank},{user(row.user_id)},{row.outcome},{weights[row.user_id]!r},{row.key!r}\n"
                  for row in ranked)
    selected = np.array([row.user_id for row in ranked], dtype=np.uint64)
    rest = ~np.isin(entrants.user_ids, selected)
    order = np.argsort(entrants.user_ids[rest], kind="stable")
    others = Entrants(entrants.user_ids[rest][order], entrants.weights[rest][order],
                      entrants.draw_ids[rest][order] if pseudonymous else None)
    keys = exponential_keys(seed, others, algorithm).tolist()
    ids, ws = others.user_ids.tolist(), others.weights.tolist()
    for start in range(0, len(ids), chunk):
        yield "".join(f",{user(u)},not_selected,{w!r},{k!r}\n"
                      for u, w, k in zip(ids[start:start + chunk], ws[start:start + chunk],
                                         keys[start:start + chunk], strict=True))
