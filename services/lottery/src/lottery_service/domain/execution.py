"""Rules of running a draw (seed §3.3–3.4), pure: execute draws exactly what prepare showed, and the
ranked result crosses Kafka in parts that stay far below its 1 MB message limit (SPEC §2)."""

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from lottery_service.domain.kst import kst_minute
from platform_shared.contracts.events import DrawCompleted, RankedEntrant, RolledBackRun
from platform_shared.errors import ConflictError, InvalidStateError


@dataclass(frozen=True)
class PreparedDraw:
    """What prepare showed the admin and bound to its token; execute must find it unchanged."""

    entry_set_hash: str
    policy_version: int
    weight_cap: float
    seats: int
    waitlist_size: int
    previous_run_id: str | None
    commitment: str | None = None
    """The seed the admin was shown: a reopen and a new close in between draw a new one."""
    early_reason: str | None = None
    """Why it runs before its draw time (seed §3.1), given at prepare; None when it runs on time."""

    def as_params(self) -> dict[str, Any]:
        return asdict(self)


def draw_time_reached(draw_at: datetime, now: datetime) -> bool:
    """Seed §3.1: the draw runs at the time announced to entrants; `now` is the service's clock."""
    return now >= draw_at


def refuse_if_early(draw_at: datetime, now: datetime, early_reason: str | None) -> None:
    """Before its draw time a draw runs only on an operator's explicit override with a reason (seed §3.1), which
    the audit log keeps: entrants were told a time, and running earlier must be a decision, not a slip."""
    if not draw_time_reached(draw_at, now) and early_reason is None:
        raise InvalidStateError(f"the draw is due at {kst_minute(draw_at)} (now {kst_minute(now)}); to run it "
                                "earlier, give early_reason (kept in the audit log)", field="early_reason")


def refuse_if_changed(prepared: PreparedDraw, now: PreparedDraw) -> None:
    """SPEC §3: if anything the admin confirmed changed between prepare and execute, execute refuses."""
    if now.commitment != prepared.commitment:
        raise ConflictError("the draw was reopened and closed on a new seed since prepare; prepare again",
                            field="token")
    if now.previous_run_id != prepared.previous_run_id:
        raise ConflictError("another run of this draw happened since prepare; prepare again", field="token")
    if now.policy_version != prepared.policy_version:
        raise ConflictError("the policy changed since prepare; prepare again", field="token")
    if (now.seats, now.waitlist_size) != (prepared.seats, prepared.waitlist_size):
        raise ConflictError("seats or waitlist size changed since prepare; prepare again", field="token")
    if now.entry_set_hash != prepared.entry_set_hash:
        raise ConflictError("the eligible entries changed since prepare; prepare again", field="token")


def completion_events(*, run_id: UUID, campaign_id: str, seats: int, waitlist_size: int, policy_version: int,
                      ranked_user_ids: Sequence[int], per_part: int, occurred_at: datetime,
                      campaign_name: str | None = None, re_draws: RolledBackRun | None = None) -> list[DrawCompleted]:
    """The run's `draw_completed` parts, in rank order: winners first, then the waitlist. Each part names the
    campaign as people read it and, for a re-run, the rolled-back run it re-draws (seed §3.5), so whoever was
    told of a seat there learns their net change."""
    ranked = [RankedEntrant(rank=rank, user_id=str(user)) for rank, user in enumerate(ranked_user_ids, start=1)]
    parts = [ranked[start:start + per_part] for start in range(0, len(ranked), per_part)]
    return [DrawCompleted(
        occurred_at=occurred_at, run_id=run_id, campaign_id=campaign_id, seats=seats, waitlist_size=waitlist_size,
        policy_version=policy_version, part=number, part_count=len(parts), campaign_name=campaign_name,
        re_draws=re_draws,
        winners=tuple(r for r in part if r.rank <= seats), waitlist=tuple(r for r in part if r.rank > seats))
        for number, part in enumerate(parts, start=1)]
