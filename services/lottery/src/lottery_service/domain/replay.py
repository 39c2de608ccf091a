"""Audit replay (seed §3.4): a run recomputed from its stored inputs and seed must rank the same users in the
same order with the same outcomes; keys must agree within the engine's tolerance, since another machine's
`log` may differ in the last bit. Pure."""

from collections.abc import Sequence
from typing import Any, Protocol

from lottery_service.domain.draw_engine import DrawResult, keys_agree


class StoredRank(Protocol):
    @property
    def rank(self) -> int: ...

    @property
    def kakao_user_id(self) -> int: ...

    @property
    def key(self) -> float: ...


def first_difference(stored: Sequence[StoredRank], replay: DrawResult) -> dict[str, Any] | None:
    """The first rank where the stored run and the replay disagree (another user, or a key outside the
    tolerance), or a rank one side has and the other has not. None when they agree."""
    replayed = list(zip(replay.user_ids.tolist(), replay.keys.tolist(), strict=True))
    for rank, row in enumerate(stored, start=1):
        if rank > len(replayed):
            return {"rank": rank, "stored": row.kakao_user_id, "replayed": None}
        user, key = replayed[rank - 1]
        if (row.rank, row.kakao_user_id) != (rank, user) or not keys_agree(row.key, key):
            return {"rank": rank, "stored": row.kakao_user_id, "replayed": user,
                    "stored_key": row.key, "replayed_key": key}
    if len(replayed) > len(stored):
        return {"rank": len(stored) + 1, "stored": None, "replayed": replayed[len(stored)][0]}
    return None
