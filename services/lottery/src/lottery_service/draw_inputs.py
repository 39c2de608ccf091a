"""Everything a draw is computed from, gathered the same way by dry run, prepare and execute."""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from lottery_service.domain.draw_engine import entry_set_hash
from lottery_service.domain.eligibility import Requirements, Screening, screen
from lottery_service.models import Draw
from lottery_service.repository import SeedSource, load_draw, load_entry_columns
from platform_shared.policy_cache import current_policy


@dataclass(frozen=True)
class DrawInputs:
    draw: Draw
    seed: bytes
    policy_version: int
    weight_cap: float
    screening: Screening

    @property
    def eligible_count(self) -> int:
        return len(self.screening.eligible.user_ids)

    def entry_set_hash(self) -> str:
        return entry_set_hash(self.screening.eligible)


async def gather_draw_inputs(session: AsyncSession, campaign_id: str, seeds: SeedSource, *,
                             lock_draw: bool = False) -> DrawInputs:
    draw = await load_draw(session, campaign_id, for_update=lock_draw)
    policy_version, policy = await current_policy(session)
    screening = screen(await load_entry_columns(session, campaign_id),
                       Requirements(draw.requires_intro, draw.requires_adgate))
    return DrawInputs(draw, seeds.seed_for(draw), policy_version, policy.weight_cap, screening)
