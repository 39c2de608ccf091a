"""Entry intake (SPEC §3), pure: one entry per user on the intake path, and what an entry is stored as —
its weight capped by the policy in force, its raw weight kept for a later recalculation (seed §11.2), and
the AdGate exemption of the day (seed §5) only where the sponsor visit was not verified."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from platform_shared.errors import ConflictError


@dataclass(frozen=True)
class NewEntry:
    kakao_user_id: int
    weight: float
    intro_seen: bool = False
    adgate_verified: bool = False
    suspicious: bool = False


def refuse_repeated_users(user_ids: Sequence[int]) -> None:
    """All or nothing: a batch that names a user twice is refused whole."""
    if len(set(user_ids)) != len(user_ids):
        raise ConflictError("the batch names a user twice", field="entries")


def refuse_already_entered(entered: Sequence[int]) -> None:
    """All or nothing: one user of the batch already holding a valid entry refuses the whole batch."""
    if entered:
        raise ConflictError(f"already entered: kakao_user_id {sorted(set(entered))[:10]}", field="entries")


def entry_rows(campaign_id: str, entries: Sequence[NewEntry], *, source: str, policy_version: int,
               weight_cap: float, exempt_reason: str | None) -> list[dict[str, Any]]:
    """The entries as stored, under the policy version in force at intake."""
    return [{"campaign_id": campaign_id, "kakao_user_id": e.kakao_user_id, "raw_weight": e.weight,
             "weight": min(e.weight, weight_cap), "policy_version": policy_version,
             "intro_seen": e.intro_seen, "adgate_verified": e.adgate_verified,
             "adgate_exempt_reason": None if e.adgate_verified else exempt_reason,
             "suspicious": e.suspicious, "source": source}
            for e in entries]
