"""Dry run (seed §3.2): what a draw would look like, with nothing stored but an audit snapshot."""

import hashlib
import secrets
from dataclasses import asdict, dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lottery_service.application.draw_inputs import gather_draw_inputs
from lottery_service.application.seeds import SeedSource
from lottery_service.application.units import sql_stores, sql_units
from lottery_service.domain.draw_engine import effective_weights, run_draw
from lottery_service.domain.execution import draw_time_reached
from lottery_service.domain.histogram import Histogram, histogram_svg, weight_histogram
from lottery_service.domain.kst import kst_iso
from platform_shared.time.clock import Clock

SAMPLE_SEATS = 5


@dataclass(frozen=True)
class DryRunReport:
    campaign_id: str
    status: str
    seats: int
    waitlist_size: int
    draw_at_kst: str
    draw_at_reached: bool
    """The pre-check's time item (seed §3.1): before it, a run needs an override with a reason."""
    seed_display: str
    policy_version: int
    weight_cap: float
    entries_above_cap: int
    """Admitted under an earlier, higher cap: they keep their weight unless a recalculation is approved."""
    eligible: int
    total_entries: int
    excluded: dict[str, int]
    pass_rates: dict[str, float | None]
    adgate_exempt: int
    histogram: Histogram
    sample: list[int]
    sample_is_final: bool = False


class DryRun:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], seeds: SeedSource, clock: Clock) -> None:
        self._sessions = sessions
        self._seeds = seeds
        self._units = sql_units(sessions, clock)

    async def dry_run(self, campaign_id: str, actor: str) -> DryRunReport:
        async with self._units.begin() as uow:
            inputs = await gather_draw_inputs(uow.stores, campaign_id, self._seeds, screened=True)
            # Like the pre-check it belongs to (seed §3.1), only once entries are closed: the seed display
            # value must not be seen while the entry set can still grow.
            inputs.refuse_unless_drawable()
            eligible, draw, screening = inputs.eligible, inputs.draw, inputs.screening
            assert screening is not None, "asked for"
            # The sample uses a throwaway seed derived from the real one: it shows the mechanics without
            # previewing the real winners (which would let anyone tune the entry set before the run).
            sample_seed = hashlib.sha256(b"dry-run sample" + inputs.seed + secrets.token_bytes(16)).digest()
            sample = (run_draw(eligible, sample_seed, SAMPLE_SEATS, 0).winners.tolist()
                      if inputs.eligible_count else [])
            report = DryRunReport(
                campaign_id=campaign_id, status=str(draw.status), seats=draw.seats,
                waitlist_size=draw.waitlist_size, draw_at_kst=kst_iso(draw.draw_at),
                draw_at_reached=draw_time_reached(draw.draw_at, uow.now),
                seed_display=inputs.seed.hex(), policy_version=inputs.policy_version,
                weight_cap=inputs.weight_cap, entries_above_cap=inputs.entries_above_cap,
                eligible=inputs.eligible_count, total_entries=screening.total_entries,
                excluded={"invalid_duplicates": screening.excluded_invalid,
                          "blacklisted": screening.excluded_blacklisted,
                          "suspicious": screening.excluded_suspicious,
                          "unmet_preconditions": screening.excluded_preconditions},
                pass_rates={"intro_first": screening.intro_pass_rate, "adgate": screening.adgate_pass_rate},
                adgate_exempt=screening.adgate_exempt,
                histogram=weight_histogram(effective_weights(eligible.weights)),
                sample=[int(user) for user in sample],
            )
            # The audit keeps the parameters, never the seed (nor a sample that depends on it).
            snapshot = {key: value for key, value in asdict(report).items() if key not in ("seed_display", "sample")}
            await uow.audit(actor=actor, action="draw.dry_run", target=f"draw:{campaign_id}", params=snapshot)
        return report

    async def histogram_picture(self, campaign_id: str) -> str:
        async with self._sessions() as session:
            inputs = await gather_draw_inputs(sql_stores(session), campaign_id, self._seeds)
        weights = effective_weights(inputs.eligible.weights)
        title = f"{campaign_id}: {inputs.eligible_count} eligible entries, weight cap {inputs.weight_cap:g}"
        return histogram_svg(weight_histogram(weights), title)
